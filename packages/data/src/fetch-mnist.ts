import { VaeError } from '@vae/divergence';
import { type ImageDataset, imageDatasetFromIdx } from './image-dataset.js';
import { gunzip, isGzip } from './internal/gunzip.js';

/** Where {@link fetchMnist} finds the two IDX files of one split. */
export interface FetchMnistOptions {
  /** URL of the IDX image file (raw or gzip-compressed). */
  images: string | URL;
  /** URL of the IDX label file (raw or gzip-compressed). */
  labels: string | URL;
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
  /** A `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
}

async function download(url: string | URL, fetcher: typeof fetch): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetcher(url);
  } catch (error) {
    throw new VaeError(
      'DATA_CORRUPT',
      `fetchMnist: could not fetch ${String(url)}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (!response.ok) {
    throw new VaeError(
      'DATA_CORRUPT',
      `fetchMnist: expected HTTP 200 for ${String(url)}, found ${response.status} ${response.statusText}`,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return isGzip(bytes) ? gunzip(bytes) : bytes;
}

/**
 * Downloads MNIST (or any IDX image/label pair, e.g. Fashion-MNIST) with
 * `fetch`, for the browser. Gzip-compressed files are inflated.
 *
 * @returns images `[n, 784]` in [0, 1] and labels `[n]`.
 * @throws `VaeError('DATA_CORRUPT')` when a download fails or a file is malformed.
 *
 * @example
 * ```ts
 * const test = await fetchMnist({
 *   images: '/mnist/t10k-images-idx3-ubyte',
 *   labels: '/mnist/t10k-labels-idx1-ubyte',
 *   limit: 2000,
 * });
 * ```
 */
export async function fetchMnist(options: FetchMnistOptions): Promise<ImageDataset> {
  const fetcher = options.fetch ?? globalThis.fetch;
  const [images, labels] = await Promise.all([
    download(options.images, fetcher),
    download(options.labels, fetcher),
  ]);
  return imageDatasetFromIdx(
    images,
    labels,
    options.limit === undefined ? {} : { limit: options.limit },
  );
}
