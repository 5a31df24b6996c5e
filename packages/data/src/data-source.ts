import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument, formatShape } from '@vae/divergence';
import { type Dataset, itemSize } from './dataset.js';
import { type BatchTransform, fillBatch } from './internal/fill-batch.js';

/** How a {@link DataSource} turns grey values into binary ones. */
export type Binarization = 'none' | 'static' | 'dynamic';

/**
 * What a training loop tells {@link DataSource.getBatch} about the batch it asks for
 * (`@vae/trainer`'s `fit` passes one on every call). `seed` is the batch's own seed
 * (the trainer derives a new one each step); `epoch` and `step` say where the batch
 * falls and are not used for the noise.
 */
export interface BatchContext {
  /** The batch's seed: the noise of the batch is a pure function of it and the indices. */
  readonly seed: number;
  /** The epoch the batch belongs to (0-based). */
  readonly epoch: number;
  /** The optimizer step the batch is for (0-based, counted over the whole run). */
  readonly step: number;
}

/**
 * What a training loop reads: the number of examples and a batch of them by index.
 * Structurally the `TrainingData` of `@vae/trainer` (no dependency either way).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { createDataSource, type DataSource, fromArray } from '@vae/data';
 *
 * const source: DataSource = createDataSource(fromArray(new Uint8Array(8), [2, 2, 2, 1]));
 * const x = source.getBatch([1, 0], { seed: 3, epoch: 0, step: 0 });
 * console.log(x.shape, x.dtype); // -> [ 2, 2, 2, 1 ] float32
 * x.dispose();
 * ```
 */
export interface DataSource<T extends tf.Tensor = tf.Tensor> {
  /** Number of examples; indices are in `[0, size)`. */
  readonly size: number;
  /** Shape of one example in a batch (the requested `shape`, else the data set's item shape). */
  readonly itemShape: readonly number[];
  /** Values per example: the product of `itemShape` (784 for MNIST, 2 for the 2-D toy sets). */
  readonly features: number;
  /**
   * A new float32 tensor `[indices.length, ...itemShape]` of the examples at `indices`,
   * in that order; the caller owns (and disposes) it. With a `context`, the dynamic
   * binarization and dequantization noise is a pure function of `context.seed` and
   * `indices` (a resumed run draws the same batches as an uninterrupted one).
   */
  getBatch(indices: readonly number[], context?: BatchContext): T;
}

/** Options of {@link createDataSource}. */
export interface DataSourceOptions<Shape extends readonly number[] = readonly number[]> {
  /**
   * The shape of one example in each batch, e.g. a model's data shape: `[784]` for an
   * MLP, `[28, 28, 1]` for a convolutional model. Must hold as many values as the data
   * set's item shape (default: the item shape itself).
   */
  shape?: Shape;
  /**
   * `'dynamic'`: a seeded Bernoulli draw per batch with each value as its probability;
   * `'static'`: 1 where a value is above `threshold`; `'none'` (default): values as they are.
   */
  binarize?: Binarization;
  /** The cut for static binarization, in (0, 1) (default 0.5). */
  threshold?: number;
  /**
   * Uniform dequantization of 8-bit data: level k becomes (k + u) / 256 with
   * u ~ U(0, 1) drawn per value and batch (default false). Needs uint8 storage;
   * excludes `binarize`.
   */
  dequantize?: boolean;
  /** Seed of the source, mixed into every draw of the noise (default 0). */
  seed?: number;
}

/**
 * The tensor type of a batch of examples of shape `Item`: `[b, d]` is `tf.Tensor2D`,
 * `[b, h, w]` `tf.Tensor3D`, `[b, h, w, c]` `tf.Tensor4D`, any other rank `tf.Tensor`.
 *
 * @example
 * ```ts
 * import type * as tf from '@tensorflow/tfjs-core';
 * import type { BatchTensor } from '@vae/data';
 *
 * const check: BatchTensor<[784]> extends tf.Tensor2D ? true : false = true;
 * ```
 */
export type BatchTensor<Item extends readonly number[]> = Item extends readonly [number]
  ? tf.Tensor2D
  : Item extends readonly [number, number]
    ? tf.Tensor3D
    : Item extends readonly [number, number, number]
      ? tf.Tensor4D
      : tf.Tensor;

function transformOf(dataset: Dataset, options: DataSourceOptions): BatchTransform {
  const { binarize = 'none', threshold = 0.5, dequantize = false } = options;
  ensureArgument(
    binarize === 'none' || binarize === 'static' || binarize === 'dynamic',
    () =>
      `createDataSource: \`binarize\` must be 'none', 'static' or 'dynamic', got ${JSON.stringify(binarize)}`,
  );
  ensureArgument(
    threshold > 0 && threshold < 1,
    () => `createDataSource: \`threshold\` must be in (0, 1), got ${threshold}`,
  );
  if (!dequantize)
    return binarize === 'static' ? { kind: 'static', threshold } : { kind: binarize };
  ensureArgument(
    binarize === 'none',
    () => `createDataSource: \`dequantize\` and \`binarize: '${binarize}'\` exclude each other`,
  );
  ensureArgument(
    dataset.values instanceof Uint8Array,
    () =>
      'createDataSource: `dequantize` needs 8-bit data (uint8 values), got a data set of float32 values',
  );
  return { kind: 'dequantize' };
}

function checkDataset(dataset: Dataset): void {
  ensureArgument(
    Number.isInteger(dataset?.size) && dataset.size >= 0 && Array.isArray(dataset.itemShape),
    () => 'createDataSource: `dataset` must be a Dataset ({ size, itemShape, values })',
  );
  ensureArgument(
    dataset.values.length === dataset.size * itemSize(dataset),
    () =>
      `createDataSource: \`dataset.values\` must hold size x prod(itemShape) = ${dataset.size} x ${itemSize(dataset)} values, got ${dataset.values.length}`,
  );
}

/**
 * Wraps a host {@link Dataset} as a {@link DataSource}: `{ size, itemShape, features,
 * getBatch }`, what `@vae/trainer`'s `fit` reads. A batch is gathered and converted on
 * the host (8-bit level k becomes k / 255, or (k + u) / 256 when dequantized), then
 * uploaded as one float32 tensor `[batch, ...shape]`: only one batch is ever float32.
 *
 * Noise (dynamic binarization, dequantization): the uniform draws of example i come from
 * `seededUniform(seed, batchSeed, i)` (`@vae/divergence`), where `batchSeed` is
 * `context.seed` when `getBatch` is given a context, and `k` for the k-th call without
 * one (k = 0, 1, ...: a deterministic fallback, the same on every run). So a batch is a
 * pure function of (seed, batchSeed, indices), whatever came before it.
 *
 * @param dataset - The examples (borrowed: the source reads its `values` at every batch).
 * @param options - `shape` of one example in a batch, `binarize`, `threshold`,
 *   `dequantize` and `seed` (see {@link DataSourceOptions}). With a literal `shape`,
 *   the batch type follows it (`[784]` gives `tf.Tensor2D`).
 * @throws `VaeError('INVALID_ARGUMENT')` on unknown options, a `shape` of another size
 *   than the item shape, `dequantize` on float data, or (in `getBatch`) an index
 *   outside `[0, size)`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { createDataSource, fromArray } from '@vae/data';
 *
 * const digits = fromArray(new Uint8Array(3 * 28 * 28).fill(200), [3, 28, 28, 1]);
 * const mlp = createDataSource(digits, { binarize: 'dynamic', seed: 1, shape: [784] });
 * const x = mlp.getBatch([0, 2], { seed: 5, epoch: 0, step: 0 });
 * console.log(x.shape); // -> [ 2, 784 ]
 * const conv = createDataSource(digits, { dequantize: true });
 * const y = conv.getBatch([1]);
 * // Dequantized: each value is (200 + u) / 256 with u uniform in [0, 1).
 * console.log(y.shape, Math.min(...y.dataSync()) >= 200 / 256); // -> [ 1, 28, 28, 1 ] true
 * x.dispose();
 * y.dispose();
 * ```
 */
export function createDataSource<const Shape extends readonly number[]>(
  dataset: Dataset,
  options: DataSourceOptions<Shape> & { shape: Shape },
): DataSource<BatchTensor<Shape>>;
/**
 * Wraps a host {@link Dataset} as a {@link DataSource} whose batches keep the data set's
 * item shape, `[batch, ...itemShape]` (see the overload above for the whole contract).
 *
 * @param dataset - The examples (borrowed: the source reads its `values` at every batch).
 * @param options - `binarize`, `threshold`, `dequantize` and `seed` (see {@link DataSourceOptions}).
 */
export function createDataSource<Item extends readonly number[]>(
  dataset: Dataset<Item>,
  options?: DataSourceOptions,
): DataSource<BatchTensor<Item>>;
export function createDataSource(dataset: Dataset, options: DataSourceOptions = {}): DataSource {
  checkDataset(dataset);
  const { seed = 0 } = options;
  ensureArgument(
    typeof seed === 'number' && Number.isFinite(seed),
    () => `createDataSource: \`seed\` must be a finite number, got ${String(seed)}`,
  );
  const transform = transformOf(dataset, options);
  const features = itemSize(dataset);
  const shape = options.shape ?? dataset.itemShape;
  ensureArgument(
    Array.isArray(shape) &&
      shape.every((d) => Number.isInteger(d) && d >= 1) &&
      shape.reduce((a, b) => a * b, 1) === features,
    () =>
      `createDataSource: \`shape\` ${Array.isArray(shape) ? formatShape(shape) : String(shape)} must hold the ${features} values of the item shape ${formatShape(dataset.itemShape)}`,
  );
  const itemShape = [...shape];
  let calls = 0;
  return {
    size: dataset.size,
    itemShape,
    features,
    getBatch(indices: readonly number[], context?: BatchContext): tf.Tensor {
      ensureArgument(
        context === undefined ||
          (typeof context.seed === 'number' && Number.isFinite(context.seed)),
        () =>
          `DataSource.getBatch: \`context.seed\` must be a finite number, got ${String(context?.seed)}`,
      );
      const batchSeed = context === undefined ? calls++ : context.seed;
      const values = fillBatch(dataset, indices, { transform, seed, batchSeed });
      return tf.tensor(values, [indices.length, ...itemShape], 'float32');
    },
  };
}
