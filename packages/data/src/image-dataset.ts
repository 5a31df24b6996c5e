import { ensureArgument, formatShape, VaeError } from '@vae/divergence';
import type { LabeledImageDataset } from './dataset.js';
import { type IdxArray, parseIdx } from './parse-idx.js';

/** Options for {@link imageDatasetFromIdx}. */
export interface FromIdxOptions {
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
}

function checkLimit(fn: string, limit: number | undefined): void {
  ensureArgument(
    limit === undefined || (Number.isInteger(limit) && limit > 0),
    () => `${fn}: \`limit\` must be a positive integer, got ${limit}`,
  );
}

/**
 * Labelled images from parsed IDX arrays (`[n, h, w]` or `[n, h, w, c]` uint8 images,
 * `[n]` uint8 labels); the pixels stay uint8 (a view of `images.data` unless `limit`
 * cuts it).
 */
export function imagesFromIdxArrays(
  images: IdxArray,
  labels: IdxArray,
  options: { limit?: number | undefined; fn: string },
): LabeledImageDataset {
  const { limit, fn } = options;
  checkLimit(fn, limit);
  if (images.dtype !== 'uint8' || (images.shape.length !== 3 && images.shape.length !== 4)) {
    throw new VaeError(
      'DATA_CORRUPT',
      `${fn}: expected uint8 images of shape [n, h, w] or [n, h, w, c], found ${images.dtype} ${formatShape(images.shape)}`,
    );
  }
  if (
    labels.dtype !== 'uint8' ||
    labels.shape.length !== 1 ||
    labels.shape[0] !== images.shape[0]
  ) {
    throw new VaeError(
      'DATA_CORRUPT',
      `${fn}: expected uint8 labels of shape [${images.shape[0]}], found ${labels.dtype} ${formatShape(labels.shape)}`,
    );
  }
  const [total, height, width, channels = 1] = images.shape as [number, number, number, number?];
  const size = Math.min(total, limit ?? total);
  const pixels = images.data as Uint8Array;
  const labelData = labels.data as Uint8Array;
  return {
    size,
    itemShape: [height, width, channels],
    values: size === total ? pixels : pixels.slice(0, size * height * width * channels),
    labels: size === total ? labelData : labelData.slice(0, size),
  };
}

/**
 * Builds a labelled image data set from the bytes of an IDX image file (`[n, h, w]`
 * or `[n, h, w, c]` uint8) and an IDX label file (`[n]` uint8). Pixels stay 8-bit
 * (`values` is a `Uint8Array`, level k meaning k / 255); item shape `[h, w, c]`
 * (c = 1 for `[n, h, w]` files).
 *
 * @param imageBytes - An IDX file of uint8 images `[n, h, w]` or `[n, h, w, c]` (not gzipped: see {@link readIdx}).
 * @param labelBytes - An IDX file of uint8 labels `[n]`, one per image.
 * @param options - `limit`: keep only the first images (see {@link FromIdxOptions}).
 * @throws `VaeError('DATA_CORRUPT')` when a file is malformed or the two disagree.
 *
 * @example
 * ```ts
 * import { encodeIdx, imageDatasetFromIdx } from '@vae/data';
 *
 * const imageBytes = encodeIdx({ dtype: 'uint8', shape: [3, 2, 2], data: new Uint8Array(12) });
 * const labelBytes = encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array([4, 1, 9]) });
 * const train = imageDatasetFromIdx(imageBytes, labelBytes, { limit: 2 });
 * console.log(train.values.length, train.values.constructor.name); // -> 8 Uint8Array
 * ```
 */
export function imageDatasetFromIdx(
  imageBytes: Uint8Array | ArrayBuffer,
  labelBytes: Uint8Array | ArrayBuffer,
  options: FromIdxOptions = {},
): LabeledImageDataset {
  checkLimit('imageDatasetFromIdx', options.limit);
  return imagesFromIdxArrays(parseIdx(imageBytes), parseIdx(labelBytes), {
    limit: options.limit,
    fn: 'imageDatasetFromIdx',
  });
}
