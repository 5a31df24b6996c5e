import { checkSeed, ensureArgument, seededUniform } from '@vae/divergence';

/**
 * A seeded permutation of `0 .. size - 1` (Fisher-Yates over `seededUniform(seed,
 * stream)` of `@vae/divergence`). The same seed and stream always give the same
 * order (seed 0 included); use the epoch as the stream so each epoch is shuffled
 * differently but reproducibly.
 *
 * @param size - How many indices to permute, `0 .. size - 1`.
 * @param options - `seed` (required; 0 is a seed like any other) and `stream` (default 0),
 *   mixed into the draws: the epoch, say.
 * @example
 * ```ts
 * import { shuffledIndices } from '@vae/data';
 *
 * const order = shuffledIndices(5, { seed: 1 });
 * // A permutation of 0 .. 4:
 * console.log([...order].sort()); // -> [ 0, 1, 2, 3, 4 ]
 * ```
 */
export function shuffledIndices(
  size: number,
  options: { seed: number; stream?: number },
): number[] {
  ensureArgument(
    Number.isInteger(size) && size >= 0,
    () => `shuffledIndices: \`size\` must be a non-negative integer, got ${size}`,
  );
  checkSeed('shuffledIndices', options.seed);
  const random = seededUniform(options.seed, options.stream ?? 0);
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Options for {@link batchIndices}. */
export interface BatchIndicesOptions {
  /** Examples per batch (the last batch may be smaller unless `dropLast`). */
  batchSize: number;
  /** Shuffle with this seed; without it the order is `0 .. size - 1`. */
  seed?: number;
  /** The epoch, mixed into the seed so each epoch has its own order (default 0). */
  epoch?: number;
  /** Drop a last batch smaller than `batchSize` (default false). */
  dropLast?: boolean;
}

/**
 * Splits `0 .. size - 1` into batches of indices, shuffled when a seed is given.
 *
 * @param size - How many examples, indexed `0 .. size - 1`.
 * @param options - `batchSize`, and `seed`, `epoch`, `dropLast` (see {@link BatchIndicesOptions}).
 * @returns one index array per batch, covering every index once (minus the
 *   dropped remainder when `dropLast`).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { batchIndices, createDataSource, fromArray } from '@vae/data';
 *
 * const source = createDataSource(fromArray(new Uint8Array(1000 * 4), [1000, 2, 2, 1]));
 * for (const indices of batchIndices(source.size, { batchSize: 128, seed: 0, epoch: 3 })) {
 *   const x = source.getBatch(indices); // [128, 2, 2, 1], the last one [104, 2, 2, 1]
 *   if (indices.length < 128) {
 *     console.log(x.shape); // -> [ 104, 2, 2, 1 ]
 *   }
 *   x.dispose();
 * }
 * ```
 */
export function batchIndices(size: number, options: BatchIndicesOptions): number[][] {
  const { batchSize, seed, epoch = 0, dropLast = false } = options;
  ensureArgument(
    Number.isInteger(batchSize) && batchSize > 0,
    () => `batchIndices: \`batchSize\` must be a positive integer, got ${batchSize}`,
  );
  const order =
    seed === undefined
      ? Array.from({ length: size }, (_, i) => i)
      : shuffledIndices(size, { seed, stream: epoch });
  const batches: number[][] = [];
  for (let start = 0; start < size; start += batchSize) {
    const batch = order.slice(start, start + batchSize);
    if (dropLast && batch.length < batchSize) break;
    batches.push(batch);
  }
  return batches;
}
