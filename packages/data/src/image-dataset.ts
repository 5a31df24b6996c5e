import { ensureArgument, VaeError } from '@vae/divergence';
import { parseIdx } from './parse-idx.js';

/**
 * Images held on the host: `images` is `[size, height * width * channels]`
 * row-major float32 in [0, 1]; `labels` is `[size]`.
 */
export interface ImageDataset {
  /** Pixel values, `[size, height * width * channels]` row-major, in [0, 1]. */
  images: Float32Array;
  /** One class label per image, `[size]`. */
  labels: Uint8Array;
  /** Number of images. */
  size: number;
  /** `[height, width, channels]` of one image, e.g. `[28, 28, 1]`. */
  imageShape: [number, number, number];
}

/** Options for {@link imageDatasetFromIdx}. */
export interface FromIdxOptions {
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
}

/**
 * Builds an {@link ImageDataset} from the bytes of an IDX image file
 * (`[n, h, w]` or `[n, h, w, c]` uint8) and an IDX label file (`[n]` uint8),
 * scaling pixels to [0, 1].
 *
 * @throws `VaeError('DATA_CORRUPT')` when a file is malformed or the two disagree.
 *
 * @example
 * ```ts
 * const train = imageDatasetFromIdx(imageBytes, labelBytes, { limit: 1000 });
 * train.images.length; // 1000 * 784
 * ```
 */
export function imageDatasetFromIdx(
  imageBytes: Uint8Array | ArrayBuffer,
  labelBytes: Uint8Array | ArrayBuffer,
  options: FromIdxOptions = {},
): ImageDataset {
  const { limit } = options;
  ensureArgument(
    limit === undefined || (Number.isInteger(limit) && limit > 0),
    () => `imageDatasetFromIdx: \`limit\` must be a positive integer, got ${limit}`,
  );
  const images = parseIdx(imageBytes);
  const labels = parseIdx(labelBytes);
  if (images.dtype !== 'uint8' || (images.shape.length !== 3 && images.shape.length !== 4)) {
    throw new VaeError(
      'DATA_CORRUPT',
      `imageDatasetFromIdx: expected uint8 images of shape [n, h, w] or [n, h, w, c], found ${images.dtype} [${images.shape.join(', ')}]`,
    );
  }
  if (
    labels.dtype !== 'uint8' ||
    labels.shape.length !== 1 ||
    labels.shape[0] !== images.shape[0]
  ) {
    throw new VaeError(
      'DATA_CORRUPT',
      `imageDatasetFromIdx: expected uint8 labels of shape [${images.shape[0]}], found ${labels.dtype} [${labels.shape.join(', ')}]`,
    );
  }
  const [total, height, width, channels = 1] = images.shape as [number, number, number, number?];
  const size = Math.min(total, limit ?? total);
  const features = height * width * channels;
  const pixels = new Float32Array(size * features);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i]! / 255;
  return {
    images: pixels,
    labels: (labels.data as Uint8Array).slice(0, size),
    size,
    imageShape: [height, width, channels],
  };
}
