import { ensureArgument, formatShape } from '@vae/divergence';
import { storageOf } from './internal/storage.js';

/**
 * How a {@link Dataset} holds its values: `Uint8Array` for 8-bit data (level k stands
 * for the value k / 255 in [0, 1]), `Float32Array` for everything else (values as they are).
 */
export type DatasetValues = Uint8Array | Float32Array;

/** One class label per example, `[size]`. */
export type DatasetLabels = Uint8Array | Int32Array;

/**
 * `size` examples of one item shape, held on the host: `[height, width, channels]`
 * for images, `[dimension]` for points, any shape for other data. The values stay
 * compact (8-bit images as `Uint8Array`, a quarter of float32's bytes) and become
 * float32 only one batch at a time, in {@link createDataSource}.
 *
 * Fields borrow: a data set never copies what it was made from, and a loader's
 * result owns its arrays.
 *
 * @example
 * ```ts
 * import { type Dataset, fromArray } from '@vae/data';
 *
 * const points: Dataset = fromArray(new Float32Array([0, 1, 2, 3, 4, 5]), [3, 2]);
 * console.log(points.itemShape); // -> [ 2 ]
 * ```
 */
export interface Dataset<Item extends readonly number[] = readonly number[]> {
  /** Number of examples. */
  readonly size: number;
  /** Shape of one example: `[28, 28, 1]` for MNIST, `[2]` for 2-D points. */
  readonly itemShape: Item;
  /** Every example, `[size, ...itemShape]` row-major (C order). */
  readonly values: DatasetValues;
  /** One label per example, `[size]`, where the source has labels. */
  readonly labels?: DatasetLabels;
}

/** `[height, width, channels]` of one image. */
export type ImageShape = readonly [height: number, width: number, channels: number];

/**
 * Images: a {@link Dataset} whose item shape is `[height, width, channels]`
 * (channels 1 for grey, 3 for RGB).
 *
 * @example
 * ```ts
 * import { fromArray, type ImageDataset } from '@vae/data';
 *
 * const images = fromArray(new Uint8Array(2 * 4 * 4), [2, 4, 4, 1]) as ImageDataset;
 * console.log(images.itemShape); // -> [ 4, 4, 1 ]
 * ```
 */
export type ImageDataset = Dataset<ImageShape>;

/**
 * Images with one class label each (MNIST digits, emoji categories).
 *
 * @example
 * ```ts
 * import { encodeIdx, imageDatasetFromIdx, type LabeledImageDataset } from '@vae/data';
 *
 * const digits: LabeledImageDataset = imageDatasetFromIdx(
 *   encodeIdx({ dtype: 'uint8', shape: [1, 2, 2], data: new Uint8Array([0, 255, 255, 0]) }),
 *   encodeIdx({ dtype: 'uint8', shape: [1], data: new Uint8Array([7]) }),
 * );
 * console.log(digits.labels[0]); // -> 7
 * ```
 */
export interface LabeledImageDataset extends ImageDataset {
  /** One class label per image, `[size]`. */
  readonly labels: Uint8Array;
}

/** Typed arrays (and plain number arrays) that {@link fromArray} accepts. */
export type ArrayValues =
  | Uint8Array
  | Uint8ClampedArray
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | readonly number[];

/** Options of {@link fromArray}. */
export interface FromArrayOptions {
  /** One label per example, `[n]` (integers; kept as `Uint8Array` or `Int32Array`). */
  labels?: DatasetLabels | readonly number[];
}

/** Elements of one example of `dataset`: the product of its item shape. */
export function itemSize(dataset: Pick<Dataset, 'itemShape'>): number {
  return dataset.itemShape.reduce((a, b) => a * b, 1);
}

function labelsOf(labels: DatasetLabels | readonly number[], size: number): DatasetLabels {
  ensureArgument(
    labels.length === size,
    () => `fromArray: \`labels\` must hold one label per example (${size}), got ${labels.length}`,
  );
  if (labels instanceof Uint8Array || labels instanceof Int32Array) return labels;
  ensureArgument(
    labels.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31),
    () => 'fromArray: `labels` must be 32-bit integers',
  );
  return labels.every((v) => v >= 0 && v < 256) ? Uint8Array.from(labels) : Int32Array.from(labels);
}

/**
 * A {@link Dataset} of the values of any typed array, read as `shape = [n, ...itemShape]`
 * (row-major). A `Uint8Array` (or `Uint8ClampedArray`) is taken as 8-bit levels and kept
 * as it is, without a copy (level k means k / 255); a `Float32Array` is kept as it is;
 * any other array is converted to float32 (values unchanged) and must be finite.
 *
 * @param values - `n * prod(itemShape)` values; borrowed when uint8 or float32.
 * @param shape - `[n, ...itemShape]` with `n >= 1` and at least one item axis.
 * @param options - `labels`: one integer label per example, `[n]` (see {@link FromArrayOptions}).
 * @throws `VaeError('INVALID_ARGUMENT')` when the shape does not match the values, or a
 *   value is not finite.
 *
 * @example
 * ```ts
 * import { fromArray } from '@vae/data';
 *
 * const images = fromArray(new Uint8Array(10 * 8 * 8 * 3), [10, 8, 8, 3]);
 * console.log(images.itemShape, images.values.constructor.name); // -> [ 8, 8, 3 ] Uint8Array
 * const points = fromArray([0.5, 1, -2, 3], [2, 2], { labels: [0, 1] });
 * console.log(points.values); // -> Float32Array(4) [ 0.5, 1, -2, 3 ]
 * ```
 */
export function fromArray(
  values: ArrayValues,
  shape: readonly number[],
  options: FromArrayOptions = {},
): Dataset {
  ensureArgument(
    shape.length >= 2 && shape.every((d) => Number.isInteger(d) && d >= 1),
    () =>
      `fromArray: \`shape\` must be [n, ...itemShape] of positive integers with at least one item axis, got ${formatShape(shape)}`,
  );
  const count = shape.reduce((a, b) => a * b, 1);
  ensureArgument(
    values.length === count,
    () => `fromArray: \`shape\` ${formatShape(shape)} needs ${count} values, got ${values.length}`,
  );
  const stored = storageOf(values, 'fromArray: `values`');
  const [size, ...itemShape] = shape as [number, ...number[]];
  return {
    size,
    itemShape,
    values: stored,
    ...(options.labels !== undefined && { labels: labelsOf(options.labels, size) }),
  };
}

/**
 * The examples of `dataset` at `indices`, in that order, as a new data set with
 * its own copy of those values (and labels).
 *
 * @param dataset - The data set to copy from (borrowed, left as it is).
 * @param indices - Which examples, in the order they are wanted, each in `[0, size)`.
 * @example
 * ```ts
 * import { fromArray, subset } from '@vae/data';
 *
 * const data = fromArray(new Uint8Array([1, 2, 3, 4, 5, 6]), [3, 2]);
 * console.log(subset(data, [2, 0]).values); // -> Uint8Array(4) [ 5, 6, 1, 2 ]
 * ```
 */
export function subset<Item extends readonly number[]>(
  dataset: Dataset<Item>,
  indices: readonly number[],
): Dataset<Item> {
  const features = itemSize(dataset);
  const values = new (dataset.values instanceof Uint8Array ? Uint8Array : Float32Array)(
    indices.length * features,
  );
  const source = dataset.labels;
  const labels =
    source === undefined
      ? undefined
      : source instanceof Uint8Array
        ? new Uint8Array(indices.length)
        : new Int32Array(indices.length);
  indices.forEach((index, row) => {
    ensureArgument(
      Number.isInteger(index) && index >= 0 && index < dataset.size,
      () => `subset: index ${index} is outside [0, ${dataset.size})`,
    );
    values.set(dataset.values.subarray(index * features, (index + 1) * features), row * features);
    if (labels !== undefined) labels[row] = source![index]!;
  });
  return {
    size: indices.length,
    itemShape: dataset.itemShape,
    values,
    ...(labels !== undefined && { labels }),
  };
}
