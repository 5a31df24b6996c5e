// The tutorial's model code, browser-safe: a small convolutional VAE for 8-bit colour
// images, its training, its test ELBO and a picture of what it learned.
import * as tf from '@tensorflow/tfjs-core';
import { createDataSource, type ImageDataset } from '@vae/data';
import { bitsPerDim, elbo, negativeElboLoss } from '@vae/elbo';
import { convVAE, type VAE } from '@vae/nn';
import { type FitResult, fit } from '@vae/trainer';
import { labeledGrid, type RgbaImage } from '@vae/viz';

/** Options of {@link colourVAE}. */
export interface ColourVaeOptions {
  /** [height, width, channels] of one image; height and width divisible by 4. */
  imageShape: readonly [number, number, number];
  /** Latent dimensions (default 8). */
  latentDim?: number;
  /** The decoder's variance: one learned per value (default), or a fixed number for all. */
  variance?: 'learned' | number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
}

/**
 * The conv preset of `@vae/nn` with a Gaussian decoder: two stride-2 4x4
 * convolutions (32 and 64 channels), a dense layer of 128, the latent heads,
 * and the mirror image back to a Gaussian p(x | z) with one learned variance per
 * pixel and channel. The preset offers Bernoulli, Gaussian and continuous
 * Bernoulli decoders; the Gaussian is the one that is a density for colour
 * values, and scored on dequantized pixels it bounds the 8-bit likelihood.
 */
export function colourVAE(options: ColourVaeOptions): VAE {
  const { imageShape, latentDim = 8, variance = 'learned', seed = 0 } = options;
  return convVAE({
    inputShape: [imageShape[0], imageShape[1], imageShape[2]],
    channels: [32, 64],
    hidden: 128,
    latentDim,
    likelihood: 'gaussian',
    variance,
    seed,
  });
}

/**
 * All of `images` as one batch [n, h, w, c] of dequantized values (k + u) / 256,
 * with one fixed draw of the noise u for `seed`: the same batch every call, so
 * the ELBO before and after training is measured on the same numbers. The
 * caller owns it.
 */
export function dequantizedImages(images: ImageDataset, seed: number): tf.Tensor4D {
  const source = createDataSource(images, { dequantize: true, seed });
  const indices = Array.from({ length: images.size }, (_, i) => i);
  return source.getBatch(indices, { seed, epoch: 0, step: 0 }) as tf.Tensor4D;
}

/** The test ELBO of 8-bit images, per image and per value. */
export interface TestElbo {
  /** Mean ELBO of the 8-bit images in nats per image: E[log p(y)] bound minus D ln 256. */
  nats: number;
  /** The same in bits per dimension (per colour value): -nats / (D ln 2). */
  bitsPerDim: number;
}

/**
 * The ELBO of `x` (dequantized 8-bit images [n, h, w, c], {@link dequantizedImages})
 * under `model`, averaged over the images, as a bound on the log-probability of
 * the 8-bit images: a density p on [0, 1]^D bounds log P(k) >= log p((k + u) / 256)
 * - D ln 256 (the convention of `@vae/data`'s dequantization). `samples` draws of
 * z per image (default 10), seeded.
 */
export function testElbo(
  model: VAE,
  x: tf.Tensor4D,
  options: { samples?: number; seed?: number } = {},
): TestElbo {
  const { samples = 10, seed = 0 } = options;
  const dimensions = x.size / x.shape[0];
  return tf.tidy(() => {
    const terms = elbo(model, x, { samples, seed });
    const eightBit = tf.sub(terms.elbo, dimensions * Math.log(256));
    const nats = tf.mean(eightBit).dataSync()[0]!;
    return { nats, bitsPerDim: bitsPerDim(eightBit, dimensions).dataSync()[0]! };
  });
}

/** Options of {@link trainVAE}. */
export interface TrainOptions {
  /** Passes over the training images (default 100). */
  epochs?: number;
  /** Images per step (default 32). */
  batchSize?: number;
  /** Adam's learning rate (default 5e-3). */
  learningRate?: number;
  /** Seed of the shuffling, the dequantization noise and the posterior draws (default 0). */
  seed?: number;
}

/**
 * Trains `model` on `train` (8-bit images [n, h, w, c]) with `fit` and the
 * negative ELBO, on batches dequantized afresh every step by `createDataSource`.
 * Returns `fit`'s result (the loss of every epoch in `history`).
 */
export async function trainVAE(
  model: VAE,
  train: ImageDataset,
  options: TrainOptions = {},
): Promise<FitResult> {
  const { epochs = 100, batchSize = 32, learningRate = 5e-3, seed = 0 } = options;
  const source = createDataSource(train, { dequantize: true, seed });
  return fit(model, source, {
    loss: (x, { seed: stepSeed }) => negativeElboLoss(model, x, { seed: stepSeed }),
    epochs,
    batchSize,
    learningRate,
    seed,
  });
}

/**
 * A labelled grid of three rows of `columns` images: the first test images of
 * `x` ([n, h, w, c] in [0, 1]), their reconstructions (the decoder's mean at the
 * posterior mean) and images drawn from the model (z from the prior, then the
 * decoder's mean), each magnified `scale` times.
 */
export function comparisonPicture(
  model: VAE,
  x: tf.Tensor4D,
  options: { columns?: number; scale?: number; seed?: number; title?: string } = {},
): RgbaImage {
  const {
    columns = 8,
    scale = 4,
    seed = 0,
    title = 'test images, reconstructions, samples',
  } = options;
  const rows = tf.tidy(() => {
    const inputs = tf.slice(x, 0, columns);
    return tf.concat([inputs, model.reconstruct(inputs), model.sample(columns, { seed })]);
  });
  try {
    return labeledGrid(rows, {
      columns,
      scale,
      title,
      rowLabels: ['test', 'reconstruction', 'sample'],
    });
  } finally {
    rows.dispose();
  }
}
