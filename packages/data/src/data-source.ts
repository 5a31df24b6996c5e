import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import type { ImageDataset } from './image-dataset.js';
import { createRandom } from './internal/random.js';
import type { PointDataset } from './synthetic.js';

/** How a {@link DataSource} turns grey values into binary ones. */
export type Binarization = 'none' | 'static' | 'dynamic';

/**
 * What a training loop reads: the number of examples and a batch of them by
 * index. `getBatch` returns a new `[indices.length, features]` float32 tensor
 * that the caller owns (and disposes).
 */
export interface DataSource {
  /** Number of examples. */
  readonly size: number;
  /** Values per example (784 for MNIST, 2 for the 2-D toy sets). */
  readonly features: number;
  /** The examples at `indices`, `[indices.length, features]`; the caller owns the tensor. */
  getBatch(indices: readonly number[]): tf.Tensor2D;
}

/** Options for {@link createDataSource}. */
export interface DataSourceOptions {
  /**
   * `'dynamic'`: a fresh seeded Bernoulli draw every `getBatch` call;
   * `'static'`: threshold at `threshold`; `'none'` (default): values as they are.
   */
  binarize?: Binarization;
  /** The cut for static binarization (default 0.5). */
  threshold?: number;
  /** Seed of the dynamic draws (default 0); call `k` uses stream `k` of this seed. */
  seed?: number;
}

function valuesOf(dataset: ImageDataset | PointDataset): {
  values: Float32Array;
  features: number;
} {
  if ('images' in dataset) {
    const [h, w, c] = dataset.imageShape;
    return { values: dataset.images, features: h * w * c };
  }
  return { values: dataset.points, features: dataset.dimension };
}

/**
 * Wraps a host data set as a {@link DataSource}: `{ size, features, getBatch }`,
 * the shape `@vae/trainer`'s `fit` reads. Batches are gathered and binarized on
 * the host, then uploaded as one tensor.
 *
 * Dynamic binarization is deterministic given the seed and the sequence of
 * calls: the k-th `getBatch` call draws from stream k of `seed`.
 *
 * @example
 * ```ts
 * const source = createDataSource(await loadMnist({ split: 'train' }), { binarize: 'dynamic', seed: 1 });
 * const x = source.getBatch([0, 1, 2]); // [3, 784] of 0s and 1s
 * x.dispose();
 * ```
 */
export function createDataSource(
  dataset: ImageDataset | PointDataset,
  options: DataSourceOptions = {},
): DataSource {
  const { binarize = 'none', threshold = 0.5, seed = 0 } = options;
  ensureArgument(
    binarize === 'none' || binarize === 'static' || binarize === 'dynamic',
    () =>
      `createDataSource: \`binarize\` must be 'none', 'static' or 'dynamic', got ${JSON.stringify(binarize)}`,
  );
  ensureArgument(
    threshold > 0 && threshold < 1,
    () => `createDataSource: \`threshold\` must be in (0, 1), got ${threshold}`,
  );
  const { values, features } = valuesOf(dataset);
  const size = dataset.size;
  let calls = 0;
  return {
    size,
    features,
    getBatch(indices: readonly number[]): tf.Tensor2D {
      const out = new Float32Array(indices.length * features);
      const random = binarize === 'dynamic' ? createRandom(seed, calls++) : undefined;
      indices.forEach((index, row) => {
        ensureArgument(
          Number.isInteger(index) && index >= 0 && index < size,
          () => `DataSource.getBatch: index ${index} is outside [0, ${size})`,
        );
        const offset = index * features;
        const base = row * features;
        for (let j = 0; j < features; j++) {
          const value = values[offset + j]!;
          if (random !== undefined) out[base + j] = random() < value ? 1 : 0;
          else if (binarize === 'static') out[base + j] = value > threshold ? 1 : 0;
          else out[base + j] = value;
        }
      });
      return tf.tensor2d(out, [indices.length, features]);
    },
  };
}
