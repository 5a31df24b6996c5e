import { checkSeed, ensureArgument } from '@vae/divergence';
import { shuffledIndices } from './batching.js';
import { type Dataset, subset } from './dataset.js';

/** Options of {@link split} and {@link splitIndices}. */
export interface SplitOptions {
  /** Share of the examples in the test part, in (0, 1); `round(testFraction * size)` of them. */
  testFraction: number;
  /** Seed of the shuffle that picks the test examples (0 is a seed like any other). */
  seed: number;
}

/**
 * A seeded split of `0 .. size - 1` into disjoint train and test indices that
 * together cover every index once, each part in increasing order. The same size,
 * fraction and seed always give the same split.
 *
 * @param size - How many examples, indexed `0 .. size - 1`.
 * @param options - `testFraction` in (0, 1) and `seed` (see {@link SplitOptions}).
 * @throws `VaeError('INVALID_ARGUMENT')` unless both parts get at least one index.
 *
 * @example
 * ```ts
 * import { splitIndices } from '@vae/data';
 *
 * const { train, test } = splitIndices(10, { testFraction: 0.2, seed: 0 });
 * console.log(test.length); // -> 2
 * console.log(train.length); // -> 8
 * ```
 */
export function splitIndices(
  size: number,
  options: SplitOptions,
): {
  /** Indices of the training part, in increasing order. */
  train: number[];
  /** Indices of the test part, in increasing order. */
  test: number[];
} {
  const { testFraction, seed } = options;
  checkSeed('split', seed);
  ensureArgument(
    typeof seed === 'number',
    () => 'split: `seed` is required (a finite number, 0 included)',
  );
  ensureArgument(
    Number.isInteger(size) && size >= 0,
    () => `split: \`size\` must be a non-negative integer, got ${size}`,
  );
  ensureArgument(
    testFraction > 0 && testFraction < 1,
    () => `split: \`testFraction\` must be in (0, 1), got ${testFraction}`,
  );
  const testSize = Math.round(testFraction * size);
  ensureArgument(
    testSize >= 1 && testSize <= size - 1,
    () =>
      `split: \`testFraction\` ${testFraction} of ${size} examples leaves ${testSize} test and ${size - testSize} training examples; each part needs at least one`,
  );
  const order = shuffledIndices(size, { seed });
  const ascending = (a: number, b: number) => a - b;
  return {
    train: order.slice(testSize).sort(ascending),
    test: order.slice(0, testSize).sort(ascending),
  };
}

/**
 * Splits a data set into a training and a test part, chosen by a seeded shuffle
 * ({@link splitIndices}): disjoint, covering every example once, each in the order
 * of the original. Each part is a new data set with its own copy of its values
 * and labels (the two together hold as many bytes as `dataset`).
 *
 * @param dataset - The data set to split (borrowed; each part copies its values).
 * @param options - `testFraction` in (0, 1) and `seed` (see {@link SplitOptions}).
 * @example
 * ```ts
 * import { fromArray, split } from '@vae/data';
 *
 * const data = fromArray(new Uint8Array(100 * 4), [100, 2, 2, 1]);
 * const { train, test } = split(data, { testFraction: 0.1, seed: 0 });
 * console.log([train.size, test.size]); // -> [ 90, 10 ]
 * ```
 */
export function split<Item extends readonly number[]>(
  dataset: Dataset<Item>,
  options: SplitOptions,
): {
  /** The training part. */
  train: Dataset<Item>;
  /** The test part. */
  test: Dataset<Item>;
} {
  const { train, test } = splitIndices(dataset.size, options);
  return { train: subset(dataset, train), test: subset(dataset, test) };
}
