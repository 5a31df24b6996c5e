// The model behind the CLI, built from a run config. Interim: an MLP/conv VAE
// assembled from @vae/nn layers with the Bernoulli-decoder ELBO written out,
// until the `VAE` presets of @vae/nn and the bounds of @vae/elbo land.
import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import {
  Conv2d,
  ConvTranspose2d,
  Flatten,
  Linear,
  type Module,
  Reshape,
  relu,
  Sequential,
} from '@vae/nn';
import type { Checkpoint } from '@vae/trainer';
import type { RunConfig } from './run-folder.js';

const PIXELS = 784;
const LOG_2PI = Math.log(2 * Math.PI);

/** A VAE with a diagonal Gaussian encoder, a standard normal prior and a Bernoulli decoder. */
export interface CliModel {
  readonly latent: number;
  readonly trainableVariables: tf.Variable[];
  /** x [n, 784] -> { mean, logVariance } [n, latent] each. */
  encode(x: tf.Tensor): { mean: tf.Tensor2D; logVariance: tf.Tensor2D };
  /** z [n, latent] -> Bernoulli logits [n, 784]. */
  decodeLogits(z: tf.Tensor): tf.Tensor2D;
  dispose(): void;
}

function mlp(config: RunConfig): { encoder: Module; decoder: Module } {
  const seed = config.seed;
  const encoder = new Sequential([
    new Linear({ inFeatures: PIXELS, outFeatures: 512, seed: seed + 1, inputGradient: false }),
    relu(),
    new Linear({ inFeatures: 512, outFeatures: 256, seed: seed + 2 }),
    relu(),
    new Linear({ inFeatures: 256, outFeatures: 2 * config.latent, seed: seed + 3 }),
  ]);
  const decoder = new Sequential([
    new Linear({ inFeatures: config.latent, outFeatures: 256, seed: seed + 4 }),
    relu(),
    new Linear({ inFeatures: 256, outFeatures: 512, seed: seed + 5 }),
    relu(),
    new Linear({ inFeatures: 512, outFeatures: PIXELS, seed: seed + 6 }),
  ]);
  return { encoder, decoder };
}

function conv(config: RunConfig): { encoder: Module; decoder: Module } {
  const seed = config.seed;
  const encoder = new Sequential([
    new Reshape([28, 28, 1]),
    new Conv2d({ inChannels: 1, outChannels: 32, kernelSize: 4, stride: 2, seed: seed + 1 }),
    relu(),
    new Conv2d({ inChannels: 32, outChannels: 64, kernelSize: 4, stride: 2, seed: seed + 2 }),
    relu(),
    new Flatten(),
    new Linear({ inFeatures: 7 * 7 * 64, outFeatures: 2 * config.latent, seed: seed + 3 }),
  ]);
  const decoder = new Sequential([
    new Linear({ inFeatures: config.latent, outFeatures: 7 * 7 * 64, seed: seed + 4 }),
    relu(),
    new Reshape([7, 7, 64]),
    new ConvTranspose2d({
      inChannels: 64,
      outChannels: 32,
      kernelSize: 4,
      stride: 2,
      seed: seed + 5,
    }),
    relu(),
    new ConvTranspose2d({
      inChannels: 32,
      outChannels: 1,
      kernelSize: 4,
      stride: 2,
      seed: seed + 6,
    }),
    new Flatten(),
  ]);
  return { encoder, decoder };
}

/** Builds the run's architecture with its seeded initial weights. */
export function buildModel(config: RunConfig): CliModel {
  const { encoder, decoder } = config.preset === 'conv' ? conv(config) : mlp(config);
  const latent = config.latent;
  return {
    latent,
    trainableVariables: [...encoder.trainableVariables, ...decoder.trainableVariables],
    encode(x) {
      const h = encoder.call(x) as tf.Tensor2D;
      const [mean, logVariance] = tf.split(h, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return { mean, logVariance };
    },
    decodeLogits(z) {
      return decoder.call(z) as tf.Tensor2D;
    },
    dispose() {
      encoder.dispose();
      decoder.dispose();
    },
  };
}

/** log Bernoulli(x | logits) summed over pixels: [n]. */
function bernoulliLogProb(x: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  // x * logits - softplus(logits)
  return tf.sum(tf.sub(tf.mul(x, logits), tf.softplus(logits)), -1) as tf.Tensor1D;
}

/**
 * Mean negative ELBO over the batch with the KL weighted by `beta` (the training
 * loss), and the mean KL. Scalars, inside the caller's tape or tidy.
 */
export function negativeElbo(
  model: CliModel,
  x: tf.Tensor,
  options: { beta: number; seed: number },
): { loss: tf.Scalar; kl: tf.Scalar; reconstruction: tf.Scalar } {
  const { mean, logVariance } = model.encode(x);
  const noise = tf.randomNormal(mean.shape, 0, 1, 'float32', options.seed);
  const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), noise));
  const reconstruction = tf.mean(bernoulliLogProb(x, model.decodeLogits(z))) as tf.Scalar;
  const klPerExample = tf.mul(
    -0.5,
    tf.sum(tf.sub(tf.add(1, logVariance), tf.add(tf.square(mean), tf.exp(logVariance))), -1),
  );
  const kl = tf.mean(klPerExample) as tf.Scalar;
  const loss = tf.sub(tf.mul(kl, options.beta), reconstruction) as tf.Scalar;
  return { loss, kl, reconstruction };
}

/** Per-example ELBO terms [n]: reconstruction log-likelihood and KL (analytic, one z sample). */
export function elboTerms(
  model: CliModel,
  x: tf.Tensor,
  seed: number,
): { reconstruction: tf.Tensor1D; kl: tf.Tensor1D } {
  return tf.tidy(() => {
    const { mean, logVariance } = model.encode(x);
    const z = tf.add(
      mean,
      tf.mul(tf.exp(tf.mul(logVariance, 0.5)), tf.randomNormal(mean.shape, 0, 1, 'float32', seed)),
    );
    const reconstruction = bernoulliLogProb(x, model.decodeLogits(z));
    const kl = tf.mul(
      -0.5,
      tf.sum(tf.sub(tf.add(1, logVariance), tf.add(tf.square(mean), tf.exp(logVariance))), -1),
    ) as tf.Tensor1D;
    return { reconstruction, kl };
  });
}

/**
 * The importance-weighted estimate of log p(x) with k samples per example, in
 * chunks of `chunk` samples so memory stays bounded: [n].
 */
export function logLikelihood(
  model: CliModel,
  x: tf.Tensor2D,
  options: { k: number; chunk: number; seed: number },
): tf.Tensor1D {
  return tf.tidy(() => {
    const { mean, logVariance } = model.encode(x);
    const n = x.shape[0];
    const std = tf.exp(tf.mul(logVariance, 0.5));
    const chunks: tf.Tensor[] = [];
    for (let start = 0, c = 0; start < options.k; start += options.chunk, c++) {
      const size = Math.min(options.chunk, options.k - start);
      chunks.push(
        tf.tidy(() => {
          const eps = tf.randomNormal([size, n, model.latent], 0, 1, 'float32', options.seed + c);
          const z = tf.add(mean, tf.mul(std, eps)); // [s, n, latent]
          const logits = model.decodeLogits(tf.reshape(z, [size * n, model.latent]));
          const xs = tf.tile(x, [size, 1]);
          const logPx = tf.reshape(bernoulliLogProb(xs, logits), [size, n]);
          const logPz = tf.mul(-0.5, tf.sum(tf.add(tf.square(z), LOG_2PI), -1));
          const logQz = tf.mul(
            -0.5,
            tf.sum(tf.add(tf.add(tf.square(eps), LOG_2PI), logVariance), -1),
          );
          return tf.logSumExp(tf.sub(tf.add(logPx, logPz), logQz), 0); // [n]
        }),
      );
    }
    return tf.sub(tf.logSumExp(tf.stack(chunks), 0), Math.log(options.k)) as tf.Tensor1D;
  });
}

/** Bernoulli means of `n` samples from the prior: [n, 784]. */
export function sampleMeans(model: CliModel, n: number, seed: number): tf.Tensor2D {
  return tf.tidy(() =>
    decodeMeans(model, tf.randomNormal([n, model.latent], 0, 1, 'float32', seed)),
  );
}

/** Bernoulli means of z: [n, 784]. */
export function decodeMeans(model: CliModel, z: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.sigmoid(model.decodeLogits(z)) as tf.Tensor2D);
}

/** The encoder means of x: [n, latent]. */
export function encodeMeans(model: CliModel, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => model.encode(x).mean);
}

/** Reconstructions of x through the encoder mean: [n, 784]. */
export function reconstructMeans(model: CliModel, x: tf.Tensor, _seed: number): tf.Tensor2D {
  return tf.tidy(() => decodeMeans(model, model.encode(x).mean));
}

/** Loads a trainer checkpoint's model weights into `model`, checking every shape. */
export function restoreCheckpoint(model: CliModel, checkpoint: Checkpoint, source: string): void {
  const variables = model.trainableVariables;
  const shapes = checkpoint.state.variableShapes;
  const describe = (shape: readonly number[]) => `[${shape.join(', ')}]`;
  if (shapes.length !== variables.length) {
    throw new VaeError(
      'CHECKPOINT_MISMATCH',
      `${source} holds ${shapes.length} weight tensors, this architecture has ${variables.length} (was it trained with another --preset?)`,
    );
  }
  variables.forEach((variable, i) => {
    const saved = shapes[i]!;
    if (saved.length !== variable.shape.length || saved.some((d, k) => d !== variable.shape[k])) {
      throw new VaeError(
        'CHECKPOINT_MISMATCH',
        `${source}: weight ${i} has shape ${describe(saved)}, this architecture expects ${describe(variable.shape)} (another --preset or --latent?)`,
      );
    }
  });
  const weights = tf.io.decodeWeights(checkpoint.weightData, checkpoint.weightSpecs);
  try {
    variables.forEach((variable, i) => {
      variable.assign(weights[`model/${i}`]!);
    });
  } finally {
    tf.dispose(Object.values(weights));
  }
}
