import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { klNormal } from '@vae/divergence';
import type { GaussianPosteriorParameters, LatentVariableModel } from '../latent-variable-model.js';

/** The loc and logVariance of a diagonal Gaussian, when it exposes them. */
export function gaussianParameters(d: Distribution): GaussianPosteriorParameters | undefined {
  const { loc, logVariance } = d as Partial<GaussianPosteriorParameters>;
  return loc instanceof tf.Tensor && logVariance instanceof tf.Tensor
    ? { loc, logVariance }
    : undefined;
}

/** KL(q || p) per latent dimension for two diagonal Gaussians: [batch, latentDim]. */
export function klPerDimension(
  q: GaussianPosteriorParameters,
  p: GaussianPosteriorParameters,
): tf.Tensor {
  return klNormal(q, p, { validateArgs: false });
}

/** Repeats x [batch, ...] `times` along a new leading axis and flattens it: [times * batch, ...]. */
export function repeatBatch(x: tf.Tensor, times: number): tf.Tensor {
  if (times === 1) return x;
  const tiled = tf.tile(tf.expandDims(x, 0), [times, ...x.shape.map(() => 1)]);
  return tf.reshape(tiled, [times * (x.shape[0] ?? 1), ...x.shape.slice(1)]);
}

/** log p(x | z) for z [samples, batch, latentDim]: [samples, batch]. */
export function logLikelihoodOfSamples(
  model: LatentVariableModel,
  x: tf.Tensor,
  z: tf.Tensor,
): tf.Tensor {
  const [samples, batch, latentDim] = z.shape as [number, number, number];
  const p = model.decode(tf.reshape(z, [samples * batch, latentDim]));
  try {
    return tf.reshape(p.logProb(repeatBatch(x, samples)), [samples, batch]);
  } finally {
    p.dispose();
  }
}
