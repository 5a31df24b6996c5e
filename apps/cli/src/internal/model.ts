// The model behind the CLI: the `mlpVAE` / `convVAE` presets of @vae/nn and the
// Bernoulli-decoder ELBO with the closed-form KL to N(0, I). Functions here never
// dispose their inputs; the caller owns what they return.
import * as tf from '@tensorflow/tfjs-core';
import { klStandardNormal, VaeError } from '@vae/divergence';
import { convVAE, mlpVAE, type VAE } from '@vae/nn';
import type { Checkpoint } from '@vae/trainer';
import type { RunConfig } from './run-folder.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** The CLI's model: a VAE with a diagonal Gaussian encoder, N(0, I) prior and Bernoulli decoder. */
export type CliModel = VAE;

/** Builds the run's architecture with its seeded initial weights. */
export function buildModel(config: RunConfig): CliModel {
  if (config.preset === 'conv') {
    return convVAE({ latentDim: config.latent, likelihood: 'bernoulli', seed: config.seed });
  }
  return mlpVAE({
    latentDim: config.latent,
    likelihood: 'bernoulli',
    seed: config.seed,
    ...(config.hidden === undefined ? {} : { hidden: [...config.hidden] }),
  });
}

/** Per-example terms [n]: E_q[log p(x | z)] from one reparameterized draw, and KL(q(z | x) || N(0, I)). */
function terms(
  model: CliModel,
  x: tf.Tensor,
  seed: number,
): { reconstruction: tf.Tensor1D; kl: tf.Tensor1D } {
  const q = model.encode(x);
  const z = q.rsample([], seed);
  const reconstruction = model.decode(z).logProb(x) as tf.Tensor1D;
  const kl = klStandardNormal(q.loc, q.logVariance, { validateArgs: false }) as tf.Tensor1D;
  return { reconstruction, kl };
}

/**
 * The training loss: the mean over the batch of -(reconstruction - beta * KL),
 * plus the mean KL and reconstruction (scalars), inside the caller's tape or tidy.
 */
export function negativeElbo(
  model: CliModel,
  x: tf.Tensor,
  options: { beta: number; seed: number },
): { loss: tf.Scalar; kl: tf.Scalar; reconstruction: tf.Scalar } {
  const { reconstruction, kl } = terms(model, x, options.seed);
  const meanKl = tf.mean(kl) as tf.Scalar;
  const meanReconstruction = tf.mean(reconstruction) as tf.Scalar;
  return {
    loss: tf.sub(tf.mul(meanKl, options.beta), meanReconstruction) as tf.Scalar,
    kl: meanKl,
    reconstruction: meanReconstruction,
  };
}

/** Per-example ELBO terms [n]: reconstruction log-likelihood (one z sample) and analytic KL. */
export function elboTerms(
  model: CliModel,
  x: tf.Tensor,
  seed: number,
): { reconstruction: tf.Tensor1D; kl: tf.Tensor1D } {
  return tf.tidy(() => terms(model, x, seed));
}

/**
 * The importance-weighted estimate of log p(x) with k samples per example
 * (IWAE bound, Burda et al. 2016), decoding `chunk` samples at a time so memory
 * stays bounded: [n].
 */
export function logLikelihood(
  model: CliModel,
  x: tf.Tensor2D,
  options: { k: number; chunk: number; seed: number },
): tf.Tensor1D {
  return tf.tidy(() => {
    const q = model.encode(x);
    const n = x.shape[0];
    const latent = model.latentDim;
    const std = tf.exp(tf.mul(q.logVariance, 0.5));
    const chunks: tf.Tensor[] = [];
    for (let start = 0, c = 0; start < options.k; start += options.chunk, c++) {
      const size = Math.min(options.chunk, options.k - start);
      chunks.push(
        tf.tidy(() => {
          const eps = tf.randomNormal([size, n, latent], 0, 1, 'float32', options.seed + c);
          const z = tf.add(q.loc, tf.mul(std, eps)); // [size, n, latent]
          const p = model.decode(tf.reshape(z, [size * n, latent]));
          const logPx = tf.reshape(p.logProb(tf.tile(x, [size, 1])), [size, n]);
          const logPz = tf.mul(-0.5, tf.sum(tf.add(tf.square(z), LOG_2PI), -1));
          const logQz = tf.mul(
            -0.5,
            tf.sum(tf.add(tf.add(tf.square(eps), LOG_2PI), q.logVariance), -1),
          );
          return tf.logSumExp(tf.sub(tf.add(logPx, logPz), logQz), 0); // [n]
        }),
      );
    }
    return tf.sub(tf.logSumExp(tf.stack(chunks), 0), Math.log(options.k)) as tf.Tensor1D;
  });
}

/** Bernoulli means of `n` samples from the prior: [n, 784]. */
export function sampleMeans(model: CliModel, n: number, seed: number): tf.Tensor {
  return model.sample(n, { seed });
}

/** Bernoulli means of p(x | z): [n, 784]. */
export function decodeMeans(model: CliModel, z: tf.Tensor): tf.Tensor {
  return model.decoder.mean(z);
}

/** The encoder means of x: [n, latent]. */
export function encodeMeans(model: CliModel, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => model.encode(x).loc as tf.Tensor2D);
}

/** Reconstructions of x through the encoder mean: [n, 784]. */
export function reconstructMeans(model: CliModel, x: tf.Tensor): tf.Tensor {
  return model.reconstruct(x);
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
