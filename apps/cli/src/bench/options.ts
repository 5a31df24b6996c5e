import type { BackendName } from '@vae/backends';
import { MAX_THREADS } from '../internal/backend-options.js';
import { BENCH_MODEL_NAMES, type BenchModelName } from './architectures.js';

/** What `runBench` measures; every field has a default. */
export interface BenchOptions {
  /** Backends to run on, in order; unavailable ones are reported and skipped. Default tensorflow, wasm, cpu. */
  backends?: BackendName[];
  /** Timed training steps per model and backend. Default 70 (cpu: 14). */
  steps?: number;
  /** The model: 'mlp' (784-400-20, default), 'conv' (convVAE's default, 28x28x1) or 'conv-colour' (32x32x3). */
  model?: BenchModelName;
  /** Examples per training step. Default 128. */
  batchSize?: number;
  /** Also write the report as JSON to this path. */
  json?: string;
  /** Seed of the weights, the data and the noise. Default 1. */
  seed?: number;
  /** Threads of the wasm backend, 1 to 8 (both models share the backend). Default: one per CPU core, at most 8. */
  threads?: number;
  /** Also measure the same MLP VAE in PyTorch on the same threads (python/vae_bench.py). Default false. */
  pytorch?: boolean;
  /** The Python with torch for `pytorch`. Default /usr/bin/python3 (Debian's, with python3-torch). */
  python?: string;
  /**
   * Also measure memory: the peak resident memory of a `vae train` and a `vae eval` run,
   * each in a child process, and the training's resident memory after each epoch. Default false.
   */
  memory?: boolean;
  /** Print the table (default true). */
  print?: boolean;
  /** Command-line arguments (`vae bench --backends wasm --steps 50 --json out.json`); they override the fields above. */
  argv?: string[];
}

export const USAGE = `usage: vae bench [--model mlp|conv|conv-colour] [--backends wasm,cpu,tensorflow] [--steps 70] [--batch-size 128] [--json report.json] [--seed 1] [--threads N] [--pytorch [--python /usr/bin/python3]] [--memory]

Trains a VAE (--model: the MLP 784-400-20 by default; conv: convVAE's default on
28x28x1 MNIST, conv 4x4/2 32 and 64, dense 256, latent 16, and transposed convs back;
conv-colour: the same on 32x32x3 synthetic binary images; Bernoulli, Adam) on each
backend with @vae/nn + @vae/elbo + @vae/trainer's step, next to the same model written
with tfjs-layers, and reports training, sampling and log-likelihood throughput (samples/s).
--threads sets the wasm backend's thread pool (default: one per CPU core, at most 8);
both models run on that same backend. --pytorch adds the same model in PyTorch on
the same number of threads (its rounds alternate with the others; needs a Python
with torch: Debian's python3-torch, /usr/bin/python3 unless --python). --memory
adds the peak resident memory of a \`vae train\` (5 epochs of 12,800 images) and a
\`vae eval\` (200 images, k = 5000) in child processes, and the training's resident
memory after each epoch.`;

const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu', 'webgl', 'webgpu'];

function positive(flag: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new Error(`vae bench: ${flag} must be a positive integer, got ${value}`);
  }
  return number;
}

/** Applies `options.argv` over the other fields; `help: true` when --help was given. */
export function parseBenchArguments(options: BenchOptions): BenchOptions & { help?: boolean } {
  const result: BenchOptions & { help?: boolean } = { ...options };
  const argv = [...(options.argv ?? [])];
  while (argv.length > 0) {
    const argument = argv.shift()!;
    const [flag, inline] = argument.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv.shift();
    switch (flag) {
      case '--backends': {
        const names = (value() ?? '').split(',').filter(Boolean);
        const unknown = names.filter((n) => !BACKENDS.includes(n as BackendName));
        if (unknown.length > 0 || names.length === 0) {
          throw new Error(
            `vae bench: --backends takes a list of ${BACKENDS.join(', ')}, got '${names.join(',')}'`,
          );
        }
        result.backends = names as BackendName[];
        break;
      }
      case '--model': {
        const name = value() ?? '';
        if (!BENCH_MODEL_NAMES.includes(name as BenchModelName)) {
          throw new Error(
            `vae bench: --model takes one of ${BENCH_MODEL_NAMES.join(', ')}, got '${name}'`,
          );
        }
        result.model = name as BenchModelName;
        break;
      }
      case '--steps':
        result.steps = positive(flag, value());
        break;
      case '--batch-size':
        result.batchSize = positive(flag, value());
        break;
      case '--seed': {
        const seed = Number(value());
        if (!Number.isInteger(seed) || seed < 0) {
          throw new Error(`vae bench: --seed must be a whole number >= 0, got ${seed}`);
        }
        result.seed = seed;
        break;
      }
      case '--threads': {
        const threads = positive(flag, value());
        if (threads > MAX_THREADS) {
          throw new Error(`vae bench: --threads must be at most ${MAX_THREADS}, got ${threads}`);
        }
        result.threads = threads;
        break;
      }
      case '--pytorch':
        result.pytorch = true;
        break;
      case '--python': {
        const path = value();
        if (!path) throw new Error('vae bench: --python takes the path of a Python with torch');
        result.python = path;
        result.pytorch = true;
        break;
      }
      case '--memory':
        result.memory = true;
        break;
      case '--json':
        result.json = value() ?? '';
        break;
      case '--help':
      case '-h':
        result.help = true;
        break;
      default:
        throw new Error(`vae bench: unknown option '${argument}'\n${USAGE}`);
    }
  }
  return result;
}
