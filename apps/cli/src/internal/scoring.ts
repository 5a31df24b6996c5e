// What the commands compute with a model: the training loss with its ELBO terms,
// per-example ELBO terms and importance-weighted log-likelihoods (@vae/elbo), and
// decoded means for pictures. Batches arrive in the model's data shape. Nothing
// here disposes its inputs; the caller owns what is returned.
import * as tf from '@tensorflow/tfjs-core';
import { elbo, logLikelihood as importanceWeighted } from '@vae/elbo';
import type { VAE } from '@vae/nn';
import type { LossResult } from '@vae/trainer';

/**
 * The training loss: -(reconstruction - beta * KL), the mean over the batch, with
 * the ELBO's terms as metrics (nats per example): `elbo` (reconstruction - kl),
 * `reconstruction` (E_q[log p(x | z)]) and `kl` (>= 0). With `freeBits` the loss
 * charges each latent dimension at least that KL; the metrics stay the ELBO's.
 */
export function negativeElbo(
  model: VAE,
  x: tf.Tensor,
  options: { beta: number; seed: number; freeBits?: number | undefined },
): LossResult {
  const terms = elbo(model, x, {
    beta: options.beta,
    seed: options.seed,
    ...(options.freeBits === undefined ? {} : { freeBits: options.freeBits }),
  });
  const reconstruction = tf.mean(terms.reconstruction) as tf.Scalar;
  const kl = tf.mean(terms.kl) as tf.Scalar;
  return {
    loss: tf.neg(tf.mean(terms.elbo)) as tf.Scalar,
    metrics: { elbo: tf.sub(reconstruction, kl) as tf.Scalar, reconstruction, kl },
  };
}

/** Per-example ELBO terms [n]: reconstruction log-likelihood (one z sample) and KL. */
export function elboTerms(
  model: VAE,
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
  model: VAE,
  x: tf.Tensor,
  options: { k: number; chunk: number; seed: number },
): tf.Tensor1D {
  return tf.tidy(() =>
    importanceWeighted(model, x, {
      k: options.k,
      batchSize: options.chunk * x.shape[0]!,
      seed: options.seed,
    }),
  );
}

/** Values a decoded mean may hold at once (the logistic mixture's mean sums 255 levels). */
const MEAN_CHUNK_VALUES = 1 << 20;

/** Rows of z decoded at once for pictures. */
function chunkRows(model: VAE): number {
  const values = model.dataShape.reduce((a, b) => a * b, 1);
  return Math.max(1, Math.floor(MEAN_CHUNK_VALUES / values));
}

/** E[x | z] for z [n, latent], decoded a few rows at a time: [n, ...dataShape]. */
export function decodeMeans(model: VAE, z: tf.Tensor2D): tf.Tensor {
  const rows = chunkRows(model);
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < z.shape[0]; start += rows) {
      const size = Math.min(rows, z.shape[0] - start);
      parts.push(
        tf.tidy(() =>
          tf.clipByValue(model.decoder.mean(tf.slice(z, [start, 0], [size, -1])), 0, 1),
        ),
      );
    }
    return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
  } finally {
    if (parts.length > 1) tf.dispose(parts);
  }
}

/** `n` draws from the prior, decoded to E[x | z]: [n, ...dataShape]. */
export function sampleMeans(model: VAE, n: number, seed: number): tf.Tensor {
  const z = model.prior.sample(n, { seed }) as tf.Tensor2D;
  try {
    return decodeMeans(model, z);
  } finally {
    z.dispose();
  }
}

/**
 * The codes of x for pictures and active units: [n, latent] (`VAE.code`: the
 * encoder mean, or for an IAF posterior the base mean pushed through the flow).
 */
export function encodeMeans(model: VAE, x: tf.Tensor): tf.Tensor2D {
  return model.code(x) as tf.Tensor2D;
}

/** Reconstructions of x through the encoder mean: [n, ...dataShape]. */
export function reconstructMeans(model: VAE, x: tf.Tensor): tf.Tensor {
  const z = encodeMeans(model, x);
  try {
    return decodeMeans(model, z);
  } finally {
    z.dispose();
  }
}
