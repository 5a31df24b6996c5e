// The optional PyTorch column of `vae bench`: the same MLP VAE in PyTorch, in a
// child Python process (python/vae_bench.py) that the benchmark drives one JSON
// line at a time, so its rounds alternate with the tfjs ones and never overlap.
// A round is one line: a block of steps that Python times itself, so the channel's
// round trip and the wake-up of torch's threads per line are not counted (an earlier
// version, timing one step per line from Node, reported 1,464 samples/s where a plain
// Python loop of the same model gave ~17,800).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchModelName } from './architectures.js';
import type { BenchModel } from './bench-model.js';

/** Debian's Python, which has `python3-torch` (the `python3` on PATH may not). */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/** How long the Python side may take to import torch and build the model. */
const SETUP_TIMEOUT_MS = 120_000;

/** How long one block of `calls` steps may take: generous, so only a hung process trips it. */
function blockTimeout(calls: number): number {
  return SETUP_TIMEOUT_MS + calls * 10_000;
}

/** The `seconds` of a reply, checked: the time the Python side measured for the block. */
function seconds(reply: Reply): number {
  const value = reply.seconds;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new Error(
      `the Python side answered without a positive \`seconds\`: ${JSON.stringify(reply)}`,
    );
  }
  return value;
}

/** What the Python side reports after setup: torch's version, its threads and BLAS, the model's size. */
export interface PytorchInfo {
  torch: string;
  threads: number;
  blas: string;
  /** Trainable parameters of its model (the same count as @vae's and tfjs-layers'). */
  parameters: number;
}

type Reply = Record<string, unknown>;

/** The script ships in the package next to dist/ (python/vae_bench.py). */
function scriptPath(): string {
  return fileURLToPath(new URL('../../python/vae_bench.py', import.meta.url));
}

/** One request/reply channel over the child's stdin and stdout lines. */
function channel(child: ChildProcessWithoutNullStreams) {
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string | Error) => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const failAll = (error: Error) => {
    for (const resolve of waiting.splice(0)) resolve(error);
  };
  lines.on('line', (line) => waiting.shift()?.(line));
  child.on('error', (error) => failAll(error));
  child.on('exit', (code) => {
    const last = stderr.trim().split('\n').at(-1) ?? '';
    failAll(new Error(`the Python process ended (exit code ${code})${last ? `: ${last}` : ''}`));
  });
  return async (command: Reply, timeoutMs = SETUP_TIMEOUT_MS): Promise<Reply> => {
    const line = await new Promise<string | Error>((resolve) => {
      const timer = setTimeout(
        () => resolve(new Error(`no answer to ${command.cmd} in ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      waiting.push((value) => {
        clearTimeout(timer);
        resolve(value);
      });
      child.stdin.write(`${JSON.stringify(command)}\n`);
    });
    if (line instanceof Error) throw line;
    const reply = JSON.parse(line) as Reply;
    if (typeof reply.error === 'string') throw new Error(reply.error);
    return reply;
  };
}

/**
 * Starts the PyTorch twin of a benchmarked VAE (`model`: the MLP 784-400-20 by default,
 * or a conv model; Bernoulli, Adam 1e-3, batch `batchSize`, `threads` intra-op threads). Returns the model with its torch
 * version and BLAS, or a sentence saying why it is not available (no Python at
 * `python`, no torch there); never throws for those.
 */
export async function startPytorch(options: {
  /** The model to build (python/vae_bench.py has each of ./architectures.ts). Default 'mlp'. */
  model?: BenchModelName;
  threads: number;
  batchSize: number;
  python?: string;
}): Promise<{ model: BenchModel; info: PytorchInfo } | string> {
  const python = options.python ?? DEFAULT_PYTHON;
  if (!existsSync(python)) {
    return `no Python at ${python} (on Debian: apt-get install python3-torch; or --python <path>)`;
  }
  const child = spawn(python, [scriptPath(), '--threads', String(options.threads)], {
    env: { ...process.env, OMP_NUM_THREADS: String(options.threads) },
  });
  const ask = channel(child);
  const stop = () => {
    child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    child.kill();
  };
  let info: PytorchInfo;
  try {
    const reply = await ask({
      cmd: 'setup',
      model: options.model ?? 'mlp',
      batch: options.batchSize,
    });
    info = {
      torch: String(reply.torch),
      threads: Number(reply.threads),
      blas: String(reply.blas),
      parameters: Number(reply.parameters),
    };
  } catch (error) {
    stop();
    const reason = error instanceof Error ? error.message : String(error);
    return /No module named 'torch'/.test(reason)
      ? `${python} has no torch (on Debian: apt-get install python3-torch)`
      : `PyTorch did not start: ${reason}`;
  }
  const model: BenchModel = {
    name: 'pytorch',
    parameters: info.parameters,
    // The Python side trains on its own fixed batch of binary images at MNIST's density.
    trainStep: async () => {
      await ask({ cmd: 'train', steps: 1 });
    },
    // A block of steps per line, timed inside Python: the line's round trip is not counted.
    timedTrainSteps: async (steps) =>
      seconds(await ask({ cmd: 'train', steps }, blockTimeout(steps))),
    sample: async (n) => {
      await ask({ cmd: 'sample', n, calls: 1 });
    },
    timedSamples: async (n, calls) =>
      seconds(await ask({ cmd: 'sample', n, calls }, blockTimeout(calls))),
    dispose: stop,
  };
  return { model, info };
}
