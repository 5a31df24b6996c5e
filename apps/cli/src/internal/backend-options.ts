import { availableParallelism } from 'node:os';
import type { BackendInfo, BackendRequest } from '@vae/backends';
import { InvalidArgumentError, Option } from 'commander';
import { positiveInteger } from './parse.js';

/** What every command that computes takes to pick its backend. */
export interface BackendChoice {
  backend: BackendRequest;
  threads: number;
}

/** The most threads tfjs's wasm backend runs. */
export const MAX_THREADS = 8;

/** One wasm thread per CPU core, up to tfjs's limit of 8. */
export function defaultThreads(): number {
  return Math.min(MAX_THREADS, availableParallelism());
}

function threadCount(value: string): number {
  const threads = positiveInteger(value);
  if (threads > MAX_THREADS) {
    throw new InvalidArgumentError(`expected at most ${MAX_THREADS}, got '${value}'.`);
  }
  return threads;
}

/** `--backend auto|wasm|cpu|tensorflow`, also read from VAE_BACKEND. */
export function backendOption(defaultDescription?: string): Option {
  const option = new Option('--backend <name>', 'tfjs backend')
    .choices(['auto', 'wasm', 'cpu', 'tensorflow'])
    .env('VAE_BACKEND');
  return defaultDescription === undefined
    ? option.default('auto')
    : option.default('auto', defaultDescription);
}

/** `--threads <n>`: the wasm backend's thread pool, also read from VAE_THREADS. */
export function threadsOption(): Option {
  return new Option('--threads <n>', 'threads of the wasm backend (1-8)')
    .argParser(threadCount)
    .default(defaultThreads(), `${defaultThreads()}: one per CPU core`)
    .env('VAE_THREADS');
}

/** "wasm (SIMD, 2 threads)"; the backends `auto` skipped are shown with --verbose. */
export function describeBackend(
  info: BackendInfo,
  reporter: { debug(line: string): void },
): string {
  for (const skipped of info.fellBackFrom)
    reporter.debug(`  skipped ${skipped.name}: ${skipped.reason}`);
  if (info.threadsNote !== undefined) reporter.debug(`  ${info.threadsNote}`);
  const simd = info.name === 'wasm' ? (info.simd ? 'SIMD, ' : 'no SIMD, ') : '';
  const threads = `${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  return `${info.name} (${simd}${threads})`;
}
