import { VaeError } from '@vae/divergence';
import type { LabeledImageDataset } from './dataset.js';
import { imagesFromIdxArrays } from './image-dataset.js';
import { allInOrder } from './internal/all-in-order.js';
import type { IdxArray } from './parse-idx.js';
import { readIdx } from './read-idx.js';

/** Where {@link fetchMnist} finds the two IDX files of one split. */
export interface FetchMnistOptions {
  /** URL of the IDX image file (raw or gzip-compressed). */
  images: string | URL;
  /** URL of the IDX label file (raw or gzip-compressed). */
  labels: string | URL;
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
  /** The most bytes one (inflated) file may have (default `DEFAULT_MAX_BYTES`, 1 GiB). */
  maxBytes?: number;
  /** A `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
}

async function download(
  url: string | URL,
  options: { fetcher: typeof fetch; maxBytes: number | undefined },
): Promise<IdxArray> {
  // Called detached: the platform's fetch throws "Illegal invocation" when its `this`
  // is anything but the global object (here it would be the options object).
  const fetcher = options.fetcher;
  let response: Response;
  try {
    response = await fetcher(url);
  } catch (error) {
    throw new VaeError(
      'DATA_CORRUPT',
      `fetchMnist: could not fetch ${String(url)}: ${String(error)}`,
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new VaeError(
      'DATA_CORRUPT',
      `fetchMnist: expected HTTP 200 for ${String(url)}, found ${response.status} ${response.statusText}`,
    );
  }
  const body = response.body ?? new Uint8Array(await response.arrayBuffer());
  return readIdx(body as ReadableStream<Uint8Array> | Uint8Array, {
    name: `fetchMnist (${String(url)})`,
    ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
  });
}

/**
 * Downloads MNIST (or any IDX image/label pair, e.g. Fashion-MNIST) with `fetch`, for
 * the browser. Gzip-compressed files are inflated as a stream that stops as soon as a
 * file passes the size its header announces (see `readIdx`).
 *
 * @param options - The URLs of the `images` and `labels` files, and `limit`, `maxBytes`,
 *   `fetch` (see {@link FetchMnistOptions}).
 * @returns 8-bit images with item shape `[28, 28, 1]` and their labels.
 * @throws `VaeError('DATA_CORRUPT')` when a download fails or a file is malformed.
 *
 * @example
 * ```ts
 * import { encodeIdx, fetchMnist } from '@vae/data';
 *
 * const files: Record<string, Uint8Array> = {
 *   '/mnist/images': encodeIdx({ dtype: 'uint8', shape: [2, 28, 28], data: new Uint8Array(1568) }),
 *   '/mnist/labels': encodeIdx({ dtype: 'uint8', shape: [2], data: new Uint8Array([3, 8]) }),
 * };
 * const test = await fetchMnist({
 *   images: '/mnist/images',
 *   labels: '/mnist/labels',
 *   limit: 2000,
 *   fetch: (async (url: string) => new Response(files[url] as BodyInit)) as typeof fetch,
 * });
 * console.log(test.itemShape); // -> [ 28, 28, 1 ]
 * ```
 */
export async function fetchMnist(options: FetchMnistOptions): Promise<LabeledImageDataset> {
  const fetcher = options.fetch ?? globalThis.fetch;
  const settings = { fetcher, maxBytes: options.maxBytes };
  const [images, labels] = await allInOrder([
    download(options.images, settings),
    download(options.labels, settings),
  ]);
  return imagesFromIdxArrays(images, labels, { limit: options.limit, fn: 'fetchMnist' });
}
