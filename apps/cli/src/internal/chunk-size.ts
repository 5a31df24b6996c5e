// How many importance samples per example `vae eval` decodes at once. Within one
// chunk the importance bound keeps every activation of the encoder and decoder
// until the chunk's log-weights are reduced, so its memory is linear in the
// examples and in the samples per example: measured here on a few examples,
// before anything is scored.
import * as tf from '@tensorflow/tfjs-core';
import type { VAE } from '@vae/nn';
import { DEFAULT_CHUNK } from './chunk-defaults.js';
import { CliError } from './errors.js';
import { count } from './format.js';
import { logLikelihood } from './scoring.js';

/** Examples the memory is measured on (it is a line in the examples). */
const PROBE_EXAMPLES = 8;

/** The most samples per example a probe decodes (1,024 rows at the last probe). */
const PROBE_MAX_CHUNK = 64;

/**
 * Bytes of tensors one batch's importance bound holds at once:
 * `constant + batchSize * (fixed + chunk * perSample)`.
 */
export interface ChunkMemory {
  /** Bytes that do not grow with the batch (copies of weights, e.g. transposed kernels). */
  constant: number;
  /** Bytes per example that do not grow with the chunk (the encoder's activations). */
  fixed: number;
  /** Bytes per example and importance sample (the decoder's activations and the log-weights). */
  perSample: number;
}

/**
 * Measures the bound's peak tensor bytes (`tf.profile`'s `peakBytes`: what the
 * engine holds, not a backend's scratch space) on a few blank examples. The
 * layers free their activations as they go, so the peak is the largest of
 * several lines in the rows, and small probes see only the one that the weights'
 * copies dominate (the line's slope can look settled there too): probes double
 * their samples up to 1,024 rows, or until the next would pass a quarter of
 * `maxBytes`, and the largest one's line is kept. Disposes what it makes.
 */
export async function measureChunkMemory(
  model: VAE,
  options: { batchSize: number; maxBytes: number },
): Promise<ChunkMemory> {
  const examples = Math.min(options.batchSize, PROBE_EXAMPLES);
  let measured = await probe(model, examples, 1);
  for (let chunk = 2; chunk <= PROBE_MAX_CHUNK; chunk *= 2) {
    if (chunkBytes(measured, 2 * examples, 2 * chunk) > options.maxBytes / 4) break;
    measured = await probe(model, examples, chunk);
  }
  return measured;
}

/** The line through the peaks at (examples, chunk), (examples, 2 chunk) and (2 examples, chunk). */
async function probe(model: VAE, examples: number, chunk: number): Promise<ChunkMemory> {
  const base = await peakBytes(model, examples, chunk);
  const perSample =
    Math.max((await peakBytes(model, examples, 2 * chunk)) - base, 0) / (examples * chunk);
  const perExample = Math.max((await peakBytes(model, 2 * examples, chunk)) - base, 0) / examples;
  return {
    constant: Math.max(base - examples * perExample, 0),
    fixed: Math.max(perExample - chunk * perSample, 0),
    perSample,
  };
}

/** Peak bytes added while scoring `examples` blank examples with one chunk of `chunk` samples. */
async function peakBytes(model: VAE, examples: number, chunk: number): Promise<number> {
  const x = tf.zeros([examples, ...model.dataShape]);
  try {
    const before = tf.memory().numBytes;
    const info = await tf.profile(() => logLikelihood(model, x, { k: chunk, chunk, seed: 0 }));
    tf.dispose(info.result as tf.Tensor);
    return info.peakBytes - before;
  } finally {
    x.dispose();
  }
}

/** Bytes the bound holds at once for `batchSize` examples decoded `chunk` samples at a time. */
export function chunkBytes(memory: ChunkMemory, batchSize: number, chunk: number): number {
  return memory.constant + batchSize * (memory.fixed + chunk * memory.perSample);
}

/**
 * The chunk to score with: `requested` when given and within `maxBytes`, else the
 * largest chunk up to {@link DEFAULT_CHUNK} that is. Throws a {@link CliError}
 * naming `--chunk` or `--batch-size` when they cannot fit.
 */
export function chooseChunk(
  memory: ChunkMemory,
  options: { batchSize: number; requested?: number | undefined; maxBytes: number; k: number },
): number {
  const { batchSize, requested, maxBytes } = options;
  const room = (maxBytes - memory.constant) / batchSize - memory.fixed;
  const largest =
    room < 0
      ? 0
      : memory.perSample > 0
        ? Math.floor(room / memory.perSample)
        : Number.POSITIVE_INFINITY;
  const limit = `--max-memory ${count(maxBytes / 2 ** 20)} MiB`;
  if (requested !== undefined) {
    if (Math.min(requested, options.k) <= largest) return requested;
    const need = bytesText(chunkBytes(memory, batchSize, Math.min(requested, options.k)));
    throw new CliError(
      `eval: --chunk ${count(requested)} would hold ${need} of tensors at once with this model and --batch-size ${count(batchSize)}, above ${limit}; ${
        largest >= 1 ? `use --chunk ${count(largest)} or less, ` : ''
      }a smaller --batch-size or a larger --max-memory`,
    );
  }
  // With k at most what fits, the default decodes all k at once (as 100 does).
  if (Math.min(DEFAULT_CHUNK, options.k) <= largest) return DEFAULT_CHUNK;
  if (largest >= 1) return largest;
  const examples = Math.floor((maxBytes - memory.constant) / (memory.fixed + memory.perSample));
  throw new CliError(
    `eval: one importance sample for each of --batch-size ${count(batchSize)} examples would hold ${bytesText(chunkBytes(memory, batchSize, 1))} of tensors at once with this model, above ${limit}; ${
      examples >= 1 ? `use --batch-size ${count(examples)} or less, or ` : 'use '
    }a larger --max-memory`,
  );
}

/** 4.6 GiB, 950 MiB, 12 KiB. */
export function bytesText(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${Math.round(bytes / 2 ** 20)} MiB`;
  return `${Math.ceil(bytes / 2 ** 10)} KiB`;
}

/**
 * A wasm trap while scoring (`RuntimeError: memory access out of bounds` when the
 * 4 GiB address space runs out) as an error naming the options that set memory;
 * undefined for any other error.
 */
export function wasmOutOfMemory(
  error: unknown,
  options: { batchSize: number; chunk: number; maxMemory: number },
): CliError | undefined {
  if (!(error instanceof WebAssembly.RuntimeError)) return undefined;
  return new CliError(
    `eval: the wasm backend failed while scoring (${error.message}), most likely out of memory with ${count(options.batchSize * options.chunk)} decoder rows at once (--batch-size ${count(options.batchSize)}, --chunk ${count(options.chunk)}); try a smaller --chunk or --max-memory (now ${count(options.maxMemory)} MiB)`,
  );
}
