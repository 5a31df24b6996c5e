// The model behind the CLI: the `mlpVAE` / `convVAE` presets of @vae/nn, trained
// and evaluated with the bounds of @vae/elbo. Functions here never dispose their
// inputs; the caller owns what they return.
import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { elbo, logLikelihood as importanceWeighted } from '@vae/elbo';
import { convVAE, mlpVAE, type VAE } from '@vae/nn';
import type { Checkpoint } from '@vae/trainer';
import type { RunConfig } from './run-folder.js';

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

/**
 * The training loss: the mean over the batch of -(reconstruction - beta * KL),
 * plus the mean KL and reconstruction (scalars), inside the caller's tape or tidy.
 */
export function negativeElbo(
  model: CliModel,
  x: tf.Tensor,
  options: { beta: number; seed: number },
): { loss: tf.Scalar; kl: tf.Scalar; reconstruction: tf.Scalar } {
  const terms = elbo(model, x, { beta: options.beta, seed: options.seed });
  return {
    loss: tf.neg(tf.mean(terms.elbo)) as tf.Scalar,
    kl: tf.mean(terms.kl) as tf.Scalar,
    reconstruction: tf.mean(terms.reconstruction) as tf.Scalar,
  };
}

/** Per-example ELBO terms [n]: reconstruction log-likelihood (one z sample) and analytic KL. */
export function elboTerms(
  model: CliModel,
  x: tf.Tensor,
  seed: number,
): { reconstruction: tf.Tensor1D; kl: tf.Tensor1D } {
  return tf.tidy(() => {
    const { reconstruction, kl } = elbo(model, x, { seed });
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
  return importanceWeighted(model, x, {
    k: options.k,
    batchSize: options.chunk * x.shape[0],
    seed: options.seed,
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
