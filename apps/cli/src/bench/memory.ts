// `vae bench --memory`: the peak resident memory of a `vae train` and a `vae eval` run,
// each in its own process (the one number the OS keeps for a process is its peak), and
// the resident memory after every training epoch, from the run's metrics.jsonl.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BackendName } from '@vae/backends';
import { readMetrics, runPaths } from '../internal/run-folder.js';

const run = promisify(execFile);

/** What the child runs before the CLI: at exit it writes its peak resident bytes to a file. */
const PEAK_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.VAE_BENCH_PEAK_FILE, String(process.resourceUsage().maxRSS * 1024)));",
)}`;

/** Training images, epochs and test images of the measured `vae train`. */
const TRAIN_ARGS = ['--limit', '12800', '--epochs', '5', '--test-limit', '1000'];
/** Test images and importance samples of the measured `vae eval`. */
const EVAL_ARGS = ['--limit', '200', '--k', '5000'];

/** Peak and per-epoch resident memory of `vae train` and `vae eval` on one backend. */
export interface MemoryReport {
  backend: BackendName;
  /** The command measured, less its output folder. */
  train: { command: string; peakBytes: number; epochBytes: number[] };
  eval: { command: string; peakBytes: number };
}

/** The bytes growth from the second epoch (the first grows the heaps) to the last. */
export function epochGrowth(epochBytes: readonly number[]): number | undefined {
  return epochBytes.length < 3 ? undefined : epochBytes.at(-1)! - epochBytes[1]!;
}

/** How a child starts the CLI: node's arguments before the command, and its folder. */
export interface CliLaunch {
  args: string[];
  cwd?: string;
}

/** The built CLI next to this file. */
const BUILT_CLI: CliLaunch = { args: [fileURLToPath(new URL('../main.js', import.meta.url))] };

async function peakOf(args: string[], options: { peakFile: string; cli: CliLaunch }) {
  await run(process.execPath, ['--import', PEAK_PRELOAD, ...options.cli.args, ...args], {
    env: { ...process.env, VAE_BENCH_PEAK_FILE: options.peakFile },
    maxBuffer: 16 * 2 ** 20,
    ...(options.cli.cwd === undefined ? {} : { cwd: options.cli.cwd }),
  });
  return Number(await readFile(options.peakFile, 'utf8'));
}

/**
 * Runs `vae train` (the default MLP on 12,800 MNIST images for 5 epochs) and then
 * `vae eval` on its model (200 test images, k = 5000), each in a child process on
 * `backend`, and reports their peak resident memory and the training's resident
 * memory after each epoch. The run folder is a temporary one, removed afterwards.
 */
export async function measureMemory(options: {
  backend: BackendName;
  threads: number;
  seed: number;
  /** The CLI the children run (default the built one); tests run the sources. */
  cli?: CliLaunch;
  /** Training and evaluation arguments in place of the defaults (tests use smaller runs). */
  sizes?: { train: string[]; eval: string[] };
}): Promise<MemoryReport> {
  const cli = options.cli ?? BUILT_CLI;
  const folder = await mkdtemp(join(tmpdir(), 'vae-bench-memory-'));
  const common = ['--backend', options.backend, '--threads', String(options.threads), '--quiet'];
  try {
    const out = join(folder, 'run');
    const train = [
      'train',
      ...(options.sizes?.train ?? TRAIN_ARGS),
      '--seed',
      String(options.seed),
      ...common,
    ];
    const trainPeak = await peakOf([...train, '--out', out], {
      peakFile: join(folder, 'train-peak'),
      cli,
    });
    const metrics = await readMetrics(runPaths(out).metrics, 'bench');
    const evalArgs = [...(options.sizes?.eval ?? EVAL_ARGS), ...common];
    const evalPeak = await peakOf(['eval', out, ...evalArgs], {
      peakFile: join(folder, 'eval-peak'),
      cli,
    });
    return {
      backend: options.backend,
      train: {
        command: `vae ${train.join(' ')}`,
        peakBytes: trainPeak,
        epochBytes: metrics.map((line) => line.rss ?? Number.NaN),
      },
      eval: { command: `vae eval ${evalArgs.join(' ')}`, peakBytes: evalPeak },
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
