// Pictures the page shows, made in the worker with @vae/viz's imageGrid and
// sent as RGBA: prior samples, test images with their reconstructions, test
// images to pick from, and the interpolation between two of them.
import * as tf from '@tensorflow/tfjs-core';
import { createDataSource, type ImageDataset } from '@vae/data';
import { type ImageGridOptions, imageGrid } from '@vae/viz';
import type { Picture } from '../shared/protocol.ts';
import type { PageModel } from './page-model.ts';

/** Seed of the prior samples: the same 32 draws at every refresh, so the grid shows learning. */
const SAMPLE_SEED = 2024;
const COLUMNS = 8;

/** `images` (`[n, ...]`, any shape holding `n` items of `imageShape`) as an RGBA grid. */
export function drawGrid(
  images: tf.Tensor,
  options: Omit<ImageGridOptions, 'imageShape'> & { imageShape: number[] },
): Picture {
  const [height, width, channels = 1] = options.imageShape;
  const flat = tf.reshape(images, [images.shape[0]!, -1]);
  try {
    const grid = imageGrid(flat, {
      ...options,
      imageShape: [height!, width!, channels],
    });
    return { width: grid.width, height: grid.height, data: new Uint8ClampedArray(grid.data) };
  } finally {
    flat.dispose();
  }
}

/** The first `count` test images as the model sees them `[count, ...dataShape]` (grey values, no noise). */
export function testBatch(model: PageModel, test: ImageDataset, count: number): tf.Tensor {
  const source = createDataSource(test, { shape: model.dataShape });
  const n = Math.min(count, test.size);
  return source.getBatch(Array.from({ length: n }, (_, i) => i));
}

/** 32 prior samples, and 16 test images (odd rows) over their reconstructions (even rows). */
export function overview(
  model: PageModel,
  test: ImageDataset,
): { samples: Picture; reconstructions: Picture } {
  const imageShape = [...test.itemShape];
  const scale = imageShape[0]! <= 32 ? 2 : 1;
  const samples = model.vae.sample(32, { seed: SAMPLE_SEED });
  const originals = testBatch(model, test, 16);
  const pairs = tf.tidy(() => {
    const n = originals.shape[0]!;
    const flat = tf.reshape(originals, [n, -1]);
    const reconstructions = tf.reshape(model.vae.reconstruct(originals), [n, -1]);
    const rows: tf.Tensor[] = [];
    for (let start = 0; start < n; start += COLUMNS) {
      const size = Math.min(COLUMNS, n - start);
      rows.push(
        tf.slice(flat, [start, 0], [size, -1]),
        tf.slice(reconstructions, [start, 0], [size, -1]),
      );
    }
    return tf.concat(rows);
  });
  try {
    return {
      samples: drawGrid(samples, { imageShape, columns: COLUMNS, scale }),
      reconstructions: drawGrid(pairs, { imageShape, columns: COLUMNS, scale }),
    };
  } finally {
    tf.dispose([samples, originals, pairs]);
  }
}

/** The first `count` test images in one row, to pick the two ends of the interpolation. */
export function testImages(model: PageModel, test: ImageDataset, count: number): Picture {
  const images = testBatch(model, test, count);
  try {
    return drawGrid(images, {
      imageShape: [...test.itemShape],
      columns: images.shape[0]!,
      padding: 2,
    });
  } finally {
    images.dispose();
  }
}

/** Test image `a`, `steps` decoded means on the line between the posterior means of `a` and `b`, then `b`. */
export function interpolation(
  model: PageModel,
  test: ImageDataset,
  options: { a: number; b: number; steps: number },
): Picture {
  const source = createDataSource(test, { shape: model.dataShape });
  const pair = source.getBatch([options.a, options.b]);
  const strip = tf.tidy(() => {
    const [a, b] = tf.split(pair, 2, 0) as [tf.Tensor, tf.Tensor];
    const line = model.vae.interpolate(a, b, options.steps);
    const flat = (t: tf.Tensor) => tf.reshape(t, [t.shape[0]!, -1]);
    return tf.concat([flat(a), flat(line), flat(b)]);
  });
  try {
    return drawGrid(strip, {
      imageShape: [...test.itemShape],
      columns: options.steps + 2,
      scale: test.itemShape[0]! <= 32 ? 2 : 1,
    });
  } finally {
    tf.dispose([pair, strip]);
  }
}
