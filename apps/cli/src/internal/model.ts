// The model behind the CLI: the `mlpVAE` / `convVAE` presets of @vae/nn, trained
// and evaluated with the bounds of @vae/elbo. Images travel as [n, 784] rows
// (the test set, the pictures) and enter the model in its own data shape.
// Functions here never dispose their inputs; the caller owns what they return.
import * as tf from '@tensorflow/tfjs-core';
import { elbo, logLikelihood as importanceWeighted } from '@vae/elbo';
import { convVAE, mlpVAE, type PriorChoice, type VAE } from '@vae/nn';
import type { LossResult } from '@vae/trainer';
import type { RunConfig } from './run-folder.js';

/** The CLI's model: a VAE with a diagonal Gaussian encoder and a Bernoulli decoder. */
export type CliModel = VAE;

/** The prior a run config names (N(0, I) when absent). */
export function priorOf(config: RunConfig): PriorChoice {
  const { prior = 'standard-normal', priorComponents = 50 } = config;
  if (prior === 'mixture' || prior === 'vamp') return { kind: prior, components: priorComponents };
  return prior;
}

/** Builds the run's architecture with its seeded initial weights. */
export function buildModel(config: RunConfig): CliModel {
  const prior = priorOf(config);
  if (config.preset === 'conv') {
    return convVAE({ latentDim: config.latent, likelihood: 'bernoulli', seed: config.seed, prior });
  }
  return mlpVAE({
    latentDim: config.latent,
    likelihood: 'bernoulli',
    seed: config.seed,
    prior,
    ...(config.hidden === undefined ? {} : { hidden: [...config.hidden] }),
  });
}

/** x [n, ...] in the model's data shape [n, ...dataShape] (a view; the caller disposes it). */
export function inModelShape(model: CliModel, x: tf.Tensor): tf.Tensor {
  return tf.reshape(x, [x.shape[0]!, ...model.dataShape]);
}

/**
 * The training loss: -(reconstruction - beta * KL), the mean over the batch, with
 * the ELBO's terms as metrics (nats per example): `elbo` (<= 0), `reconstruction`
 * (E_q[log p(x | z)], <= 0) and `kl` (>= 0), so elbo = reconstruction - kl.
 */
export function negativeElbo(
  model: CliModel,
  x: tf.Tensor,
  options: { beta: number; seed: number },
): LossResult {
  const terms = elbo(model, inModelShape(model, x), { beta: options.beta, seed: options.seed });
  const reconstruction = tf.mean(terms.reconstruction) as tf.Scalar;
  const kl = tf.mean(terms.kl) as tf.Scalar;
  return {
    loss: tf.neg(tf.mean(terms.elbo)) as tf.Scalar,
    metrics: { elbo: tf.sub(reconstruction, kl) as tf.Scalar, reconstruction, kl },
  };
}

/** Per-example ELBO terms [n]: reconstruction log-likelihood (one z sample) and KL. */
export function elboTerms(
  model: CliModel,
  x: tf.Tensor,
  seed: number,
): { reconstruction: tf.Tensor1D; kl: tf.Tensor1D } {
  return tf.tidy(() => {
    const { reconstruction, kl } = elbo(model, inModelShape(model, x), { seed });
    return { reconstruction, kl };
  });
}

/**
 * The importance-weighted estimate of log p(x) with k samples per example
 * (`logLikelihood` of @vae/elbo), decoding `chunk` samples of every example at
 * once so memory stays bounded: [n].
 */
export function logLikelihood(
  model: CliModel,
  x: tf.Tensor2D,
  options: { k: number; chunk: number; seed: number },
): tf.Tensor1D {
  return tf.tidy(() =>
    importanceWeighted(model, inModelShape(model, x), {
      k: options.k,
      batchSize: options.chunk * x.shape[0],
      seed: options.seed,
    }),
  );
}

/** Bernoulli means of `n` samples from the prior: [n, 784]. */
export function sampleMeans(model: CliModel, n: number, seed: number): tf.Tensor {
  return tf.tidy(() => tf.reshape(model.sample(n, { seed }), [n, -1]));
}

/** Bernoulli means of p(x | z): [n, 784]. */
export function decodeMeans(model: CliModel, z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.reshape(model.decoder.mean(z), [z.shape[0]!, -1]));
}

/** The encoder means of x: [n, latent]. */
export function encodeMeans(model: CliModel, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const q = model.encode(inModelShape(model, x));
    try {
      return q.mean as tf.Tensor2D;
    } finally {
      q.dispose();
    }
  });
}

/** Reconstructions of x through the encoder mean: [n, 784]. */
export function reconstructMeans(model: CliModel, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.reshape(model.reconstruct(inModelShape(model, x)), [x.shape[0]!, -1]));
}

/** Decoded means between the posterior means of two rows: [steps, 784]. */
export function interpolateMeans(
  model: CliModel,
  [a, b]: [tf.Tensor, tf.Tensor],
  steps: number,
): tf.Tensor {
  return tf.tidy(() =>
    tf.reshape(model.interpolate(inModelShape(model, a), inModelShape(model, b), steps), [
      steps,
      -1,
    ]),
  );
}
