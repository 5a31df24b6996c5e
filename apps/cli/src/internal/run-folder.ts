import { randomBytes } from 'node:crypto';
import {
  appendFile,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from './errors.js';

/** What `vae train` records about a run, so `--resume`, `eval` and `sample` rebuild the same model. */
export interface RunConfig {
  format: 'vae-run';
  version: 1;
  preset: 'mlp' | 'conv';
  latent: number;
  /** Hidden layer widths of the MLP preset (absent: the preset's default). */
  hidden?: number[];
  /** The prior p(z) (absent: 'standard-normal'). */
  prior?: 'standard-normal' | 'diagonal' | 'mixture' | 'vamp';
  /** Components of a mixture prior or pseudo-inputs of a VampPrior. */
  priorComponents?: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  beta: number;
  /** KL warm-up length in epochs (0: none). */
  warmup: number;
  seed: number;
  /** Training images used (60,000 for full MNIST). */
  limit: number;
  binarize: 'dynamic';
}

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
}

/** The files of a run folder. */
export function runPaths(directory: string) {
  return {
    directory,
    config: join(directory, 'config.json'),
    checkpoint: join(directory, 'checkpoint.ckpt'),
    model: join(directory, 'model'),
    metrics: join(directory, 'metrics.jsonl'),
    samples: join(directory, 'samples.png'),
    reconstructions: join(directory, 'reconstructions.png'),
    loss: join(directory, 'loss.png'),
    evaluation: join(directory, 'eval.json'),
  };
}

export type RunPaths = ReturnType<typeof runPaths>;

/** Writes a file atomically (temporary file + rename). */
export async function writeAtomic(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, contents);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function isNonEmptyDirectory(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isDirectory())
      throw new CliError(`train: --out ${path} exists and is not a directory`);
    return (await readdir(path)).length > 0;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return false;
    throw error;
  }
}

/** Throws unless `directory` is missing or empty (a new run never writes into an existing one). */
export async function ensureFreeFolder(directory: string): Promise<void> {
  if (await isNonEmptyDirectory(directory)) {
    throw new CliError(
      `train: ${directory} already holds a run; pass --resume to continue it or choose another --out`,
    );
  }
}

/** Creates a fresh run folder; refuses one that already holds files (use --resume). */
export async function createRunFolder(directory: string, config: RunConfig): Promise<RunPaths> {
  await ensureFreeFolder(directory);
  await mkdir(directory, { recursive: true });
  const paths = runPaths(directory);
  await writeAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  return paths;
}

/** Reads a run folder's config.json, with one-line errors for a missing or damaged one. */
export async function readRunConfig(directory: string, command: string): Promise<RunConfig> {
  const paths = runPaths(directory);
  let text: string;
  try {
    text = await readFile(paths.config, 'utf8');
  } catch {
    throw new CliError(`${command}: ${directory} is not a run folder (no config.json)`);
  }
  let config: RunConfig;
  try {
    config = JSON.parse(text) as RunConfig;
  } catch {
    throw new CliError(`${command}: ${paths.config} is not valid JSON`);
  }
  if (config.format !== 'vae-run' || (config.preset !== 'mlp' && config.preset !== 'conv')) {
    throw new CliError(`${command}: ${paths.config} is not a vae run config`);
  }
  return config;
}

/** Reads metrics.jsonl (empty when missing). */
export async function readMetrics(path: string): Promise<EpochMetrics[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EpochMetrics);
}

/** Appends one JSON line. */
export async function appendMetrics(path: string, metrics: EpochMetrics): Promise<void> {
  await appendFile(path, `${JSON.stringify(metrics)}\n`);
}

/** Rewrites metrics.jsonl with exactly these lines (used on resume to drop epochs past the checkpoint). */
export async function writeMetrics(path: string, lines: EpochMetrics[]): Promise<void> {
  await writeAtomic(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}
