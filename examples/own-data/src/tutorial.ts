// The whole tutorial as one function (Node): a folder of images in, a trained VAE,
// its test ELBO before and after, and a PNG out. `main.ts` runs it with the defaults;
// the test runs a shorter version.
import * as tf from '@tensorflow/tfjs-core';
import { split } from '@vae/data';
import { loadImageFolder } from '@vae/data/node';
import { writePng } from '@vae/viz/node';
import {
  colourVAE,
  comparisonPicture,
  dequantizedImages,
  type TestElbo,
  testElbo,
  trainVAE,
} from './index.js';

/** Options of {@link runTutorial}. */
export interface TutorialOptions {
  /** The folder of `.png` / `.jpg` images to learn. */
  folder: string;
  /** Where the PNG of test images, reconstructions and samples goes. */
  out: string;
  /** Passes over the training images (default 100: 500 steps for 160 images in batches of 32). */
  epochs?: number;
  /** Adam's learning rate (default 5e-3). */
  learningRate?: number;
  /** Resize every image to `side` x `side` (default: keep the size; all must match then). */
  side?: number;
  /** Seed of the split, the weights, the noise and the samples (default 0). */
  seed?: number;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
}

/** What {@link runTutorial} measured. */
export interface TutorialResult {
  /** Images in the training and the test part. */
  trainSize: number;
  testSize: number;
  /** [height, width, channels] of one image. */
  imageShape: readonly [number, number, number];
  /** Adam steps taken. */
  steps: number;
  /** The test ELBO of the untrained model and of the trained one. */
  before: TestElbo;
  after: TestElbo;
  /** Width and height of the PNG written. */
  picture: { width: number; height: number };
}

/** Loads `folder`, trains a small conv VAE on 80% of it and reports on the other 20%. */
export async function runTutorial(options: TutorialOptions): Promise<TutorialResult> {
  const { folder, out, epochs = 100, learningRate = 5e-3, seed = 0, log = () => {} } = options;
  // 2. The folder as 8-bit images [n, h, w, c], and a seeded 80/20 split.
  const images = await loadImageFolder(folder, {
    channels: 3,
    ...(options.side === undefined ? {} : { side: options.side }),
  });
  const { train, test } = split(images, { testFraction: 0.2, seed });
  const imageShape = images.itemShape;
  log(
    `${images.size} images of ${imageShape.join(' x ')} from ${folder}: ${train.size} to train on, ${test.size} to test`,
  );
  // 3. The model, and the test images as the Gaussian decoder scores them.
  const model = colourVAE({ imageShape, seed });
  const x = dequantizedImages(test, seed);
  try {
    const before = testElbo(model, x, { seed });
    log(`  untrained: test ELBO ${formatElbo(before)}`);
    const result = await trainVAE(model, train, { epochs, learningRate, seed });
    const after = testElbo(model, x, { seed });
    log(`  trained (${result.steps} steps): test ELBO ${formatElbo(after)}`);
    // 4. The picture.
    const picture = comparisonPicture(model, x, { seed });
    await writePng(out, picture);
    log(`wrote ${out}: test images, their reconstructions and samples from the prior`);
    return {
      trainSize: train.size,
      testSize: test.size,
      imageShape,
      steps: result.steps,
      before,
      after,
      picture: { width: picture.width, height: picture.height },
    };
  } finally {
    tf.dispose(x);
    model.dispose();
  }
}

function formatElbo(value: TestElbo): string {
  return `${value.nats.toFixed(1)} nats per image, ${value.bitsPerDim.toFixed(3)} bits/dim`;
}
