import { ensureArgument, formatShape, VaeError } from '@vae/divergence';
import { type Dataset, fromArray } from './dataset.js';
import { readBoundedFile } from './internal/read-file.js';
import { DEFAULT_MAX_BYTES } from './limits.js';
import type { IdxArray } from './parse-idx.js';
import { readIdx } from './read-idx.js';

/** Options of {@link loadIdx}. */
export interface LoadIdxOptions {
  /** An IDX file of integer labels, shape `[n]`, one per example (raw or `.gz`). */
  labels?: string;
  /** The most bytes one (inflated) file may have (default `DEFAULT_MAX_BYTES`, 1 GiB). */
  maxBytes?: number;
}

async function readIdxFile(path: string, maxBytes: number): Promise<IdxArray> {
  const name = `loadIdx (${path})`;
  return readIdx(await readBoundedFile(path, { name, maxBytes }), { name, maxBytes });
}

/**
 * Loads any IDX file (raw or gzip, inflated as a bounded stream: see `readIdx`) as a
 * {@link Dataset} in Node, its shape `[n, ...itemShape]` kept as it is (`[n]` becomes
 * `[n, 1]`): MNIST's `[60000, 28, 28]` gives items `[28, 28]`, Fashion-MNIST and EMNIST
 * likewise. uint8 stays 8-bit; other types become float32.
 *
 * @param path - An IDX file, raw or gzip (`.gz`).
 * @param options - `labels` (the path of a labels file, `[n]`) and `maxBytes` (see {@link LoadIdxOptions}).
 * @throws `VaeError('DATA_CORRUPT')` naming the file when it is unreadable, malformed,
 *   larger than `maxBytes`, or its labels do not match.
 *
 * @example
 * ```ts
 * import { loadIdx, mnistFiles } from '@vae/data/node';
 *
 * const files = mnistFiles('test');
 * const test = await loadIdx(files.images, { labels: files.labels });
 * console.log(test.itemShape); // -> [ 28, 28 ]
 * ```
 */
export async function loadIdx(path: string, options: LoadIdxOptions = {}): Promise<Dataset> {
  const { maxBytes = DEFAULT_MAX_BYTES } = options;
  ensureArgument(
    Number.isInteger(maxBytes) && maxBytes > 0,
    () => `loadIdx: \`maxBytes\` must be a positive integer, got ${maxBytes}`,
  );
  const array = await readIdxFile(path, maxBytes);
  const shape = array.shape.length === 1 ? [array.shape[0]!, 1] : array.shape;
  let labels: number[] | undefined;
  if (options.labels !== undefined) {
    const read = await readIdxFile(options.labels, maxBytes);
    if (read.shape.length !== 1 || read.shape[0] !== shape[0] || read.dtype.startsWith('float')) {
      throw new VaeError(
        'DATA_CORRUPT',
        `loadIdx (${options.labels}): expected integer labels of shape [${shape[0]}], found ${read.dtype} ${formatShape(read.shape)}`,
      );
    }
    labels = Array.from(read.data);
  }
  try {
    return fromArray(array.data, shape, labels === undefined ? {} : { labels });
  } catch (error) {
    if (!VaeError.isInstance(error)) throw error;
    throw new VaeError('DATA_CORRUPT', `loadIdx (${path}): ${error.message}`, { cause: error });
  }
}
