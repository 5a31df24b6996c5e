import { appendFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@vae/divergence/node';
import { CliError } from './errors.js';
import { hasCode } from './os-errors.js';
import { readSmallText } from './small-file.js';

/** One line of metrics.jsonl. */
export interface EpochMetrics {
  epoch: number;
  step: number;
  /** Mean negative ELBO (nats) on the training batches of the epoch, with the epoch's beta. */
  trainLoss: number;
  /** Negative ELBO (nats, beta = 1) on the test set after the epoch. */
  testLoss?: number;
  /** Mean KL (nats) on the training batches. */
  trainKl?: number;
  /** Means over the epoch's training batches: elbo, reconstruction, kl (nats; elbo = reconstruction - kl). */
  train?: Record<string, number>;
  /** The same terms on the test set after the epoch (beta = 1). */
  test?: Record<string, number>;
  beta: number;
  samplesPerSecond: number;
  seconds: number;
  /**
   * Wall-clock seconds of training of the run at the end of this epoch, over
   * every invocation (its evaluations included; absent in runs of older versions).
   */
  elapsed?: number;
  /** Resident memory of the process at the end of this epoch, in bytes (absent in runs of older versions). */
  rss?: number;
  /**
   * The importance-weighted bound on the validation split after this epoch
   * (mean IWAE_k and the mean log-weight, a k-sample ELBO estimate; nats), on
   * epochs it was evaluated.
   */
  validation?: { iwae: number; elbo: number; k: number; examples: number; seconds: number };
  /**
   * True when the validation bound due after this epoch was cut short (the
   * `--hours` budget or Ctrl-C came during it); a resume from this epoch's
   * checkpoint evaluates it first, on the same weights.
   */
  validationSkipped?: true;
}

/** The files of a run folder. */
export function runPaths(directory: string) {
  return {
    directory,
    config: join(directory, 'config.json'),
    checkpoint: join(directory, 'checkpoint.ckpt'),
    previousCheckpoint: join(directory, 'checkpoint.ckpt.prev'),
    best: join(directory, 'best.ckpt'),
    clock: join(directory, 'clock.json'),
    model: join(directory, 'model'),
    metrics: join(directory, 'metrics.jsonl'),
    samples: join(directory, 'samples.png'),
    reconstructions: join(directory, 'reconstructions.png'),
    loss: join(directory, 'loss.png'),
    evaluation: join(directory, 'eval.json'),
    evaluationProgress: join(directory, 'eval.progress.json'),
    sample: join(directory, 'sample'),
  };
}

export type RunPaths = ReturnType<typeof runPaths>;

/** Names vae writes in a run folder (and the hidden temporary files of its atomic writes). */
const RUN_FILES = new Set([
  'config.json',
  'checkpoint.ckpt',
  'checkpoint.ckpt.prev',
  'best.ckpt',
  'clock.json',
  'metrics.jsonl',
  'samples.png',
  'reconstructions.png',
  'loss.png',
  'eval.json',
  'model',
  'sample',
  '.lock',
]);
const TEMPORARY = /^\.[^/]+\.\d+-[0-9a-f]{8}\.tmp$/;

/**
 * What a folder holds: nothing (`'free'`: missing or empty), a run with a
 * checkpoint (`'run'`), a run that never saved a checkpoint (`'unstarted'`: killed,
 * diverged or out of space before its first save; only vae's own files), or
 * anything else (`'occupied'`).
 */
export async function folderState(
  directory: string,
): Promise<'free' | 'run' | 'unstarted' | 'occupied'> {
  let names: string[];
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) return 'occupied';
    names = await readdir(directory);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return 'free';
    throw error;
  }
  if (names.length === 0) return 'free';
  if (!names.includes('config.json')) return 'occupied';
  if (names.includes('checkpoint.ckpt') || names.includes('checkpoint.ckpt.prev')) return 'run';
  const ours = names.every((name) => RUN_FILES.has(name) || TEMPORARY.test(name));
  return ours ? 'unstarted' : 'occupied';
}

/** Removes what a run that never saved a checkpoint left, keeping the folder (and its lock). */
export async function clearUnstartedRun(directory: string): Promise<void> {
  for (const name of await readdir(directory)) {
    if (name !== '.lock') await rm(join(directory, name), { recursive: true, force: true });
  }
}

/** The largest metrics.jsonl we read (about a million epochs). */
const MAX_METRICS_BYTES = 256 << 20;

function isEpochLine(value: unknown): value is EpochMetrics {
  const line = value as Partial<EpochMetrics> | null;
  return (
    typeof line === 'object' &&
    line !== null &&
    Number.isSafeInteger(line.epoch) &&
    Number.isSafeInteger(line.step) &&
    typeof line.trainLoss === 'number'
  );
}

/** Reads metrics.jsonl (empty when missing); a damaged line is a one-line error naming it. */
export async function readMetrics(path: string, command: string): Promise<EpochMetrics[]> {
  const found = await readSmallText(path, MAX_METRICS_BYTES);
  if (found.problem === 'missing') return [];
  if (found.problem !== undefined) {
    throw new CliError(
      found.problem === 'too-large'
        ? `${command}: ${path} is ${found.size} bytes, more than a run writes`
        : `${command}: ${path} is not a regular file`,
    );
  }
  const { text } = found;
  const lines: EpochMetrics[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    // A kill during an append can leave a partial last line: it is the epoch in progress.
    if (!isEpochLine(value)) {
      if (i === text.split('\n').length - 1) break;
      throw new CliError(`${command}: ${path} line ${i + 1} is not an epoch record`);
    }
    lines.push(value);
  }
  return lines;
}

/** Appends one JSON line. */
export async function appendMetrics(path: string, metrics: EpochMetrics): Promise<void> {
  await appendFile(path, `${JSON.stringify(metrics)}\n`);
}

/** Rewrites metrics.jsonl with exactly these lines, atomically. */
export async function writeMetrics(path: string, lines: readonly EpochMetrics[]): Promise<void> {
  await writeFileAtomic(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''), {
    durable: false,
  });
}
