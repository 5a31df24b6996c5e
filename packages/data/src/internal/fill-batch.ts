import { ensureArgument, seededUniform, seededUniformAt } from '@vae/divergence';
import { type Dataset, itemSize } from '../dataset.js';

/** What a batch does to each value on its way to float32. */
export type BatchTransform =
  | { kind: 'none' }
  | { kind: 'static'; threshold: number }
  | { kind: 'dynamic' }
  | { kind: 'dequantize' };

/** The largest float32 below 1: (255 + u) / 256 rounds to 1 in float32 for u > 1 - 2^-17. */
const BELOW_ONE = 1 - 2 ** -24;

/** 8-bit level k as the value k / 255. */
const LEVELS = Float32Array.from({ length: 256 }, (_, k) => k / 255);

function checkIndex(index: number, size: number): void {
  ensureArgument(
    Number.isInteger(index) && index >= 0 && index < size,
    () => `DataSource.getBatch: index ${index} is outside [0, ${size})`,
  );
}

/**
 * The float32 values `[indices.length, itemSize]` of the examples at `indices`, after
 * `transform`. Noise of example i comes from `seededUniform(seed, batchSeed, i)`, so it
 * depends on nothing but these three numbers.
 */
export function fillBatch(
  dataset: Dataset,
  indices: readonly number[],
  noise: { transform: BatchTransform; seed: number; batchSeed: number },
): Float32Array {
  const { transform, seed, batchSeed } = noise;
  const features = itemSize(dataset);
  const source = dataset.values;
  const bytes = source instanceof Uint8Array;
  const out = new Float32Array(indices.length * features);
  for (let row = 0; row < indices.length; row++) {
    const index = indices[row]!;
    checkIndex(index, dataset.size);
    const from = index * features;
    const to = row * features;
    if (transform.kind === 'none') {
      if (bytes) for (let j = 0; j < features; j++) out[to + j] = LEVELS[source[from + j]!]!;
      else out.set(source.subarray(from, from + features), to);
    } else if (transform.kind === 'static') {
      const cut = transform.threshold;
      for (let j = 0; j < features; j++) {
        const value = bytes ? LEVELS[source[from + j]!]! : source[from + j]!;
        out[to + j] = value > cut ? 1 : 0;
      }
    } else if (transform.kind === 'dequantize') {
      const uniform = seededUniform(seed, batchSeed, index);
      for (let j = 0; j < features; j++) {
        out[to + j] = Math.min((source[from + j]! + uniform()) / 256, BELOW_ONE);
      }
    } else {
      // A value at 0 or 1 needs no draw (u < 0 never holds, u < 1 always does), so read
      // the stream by position and draw only between: most MNIST pixels are 0.
      const draw = seededUniformAt(seed, batchSeed, index);
      for (let j = 0; j < features; j++) {
        const value = bytes ? LEVELS[source[from + j]!]! : source[from + j]!;
        out[to + j] = value <= 0 ? 0 : value >= 1 ? 1 : draw(j) < value ? 1 : 0;
      }
    }
  }
  return out;
}
