import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import type { GaussianPosteriorParameters, LatentVariableModel } from '../latent-variable-model.js';

/** The posterior's loc and logVariance when the closed-form KL to N(0, I) applies. */
export function gaussianParameters(
  model: LatentVariableModel,
  q: Distribution,
): GaussianPosteriorParameters | undefined {
  if (model.standardNormalPrior !== true) return undefined;
  const { loc, logVariance } = q as Partial<GaussianPosteriorParameters>;
  return loc instanceof tf.Tensor && logVariance instanceof tf.Tensor
    ? { loc, logVariance }
    : undefined;
}

/** KL(N(m, e^v) || N(0, 1)) per latent dimension: [batch, latentDim]. */
export function klPerDimension({ loc, logVariance }: GaussianPosteriorParameters): tf.Tensor {
  return tf.mul(0.5, tf.sub(tf.add(tf.exp(logVariance), tf.square(loc)), tf.add(logVariance, 1)));
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
