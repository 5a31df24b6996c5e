import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { klNormal, repeatRows } from '@vae/divergence';
import type {
  GaussianPosteriorParameters,
  LatentVariableModel,
  RepeatedLogProb,
} from '../latent-variable-model.js';

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

/** The distribution's {@link RepeatedLogProb} method, bound, when it has one. */
function repeatedLogProb(p: Distribution): RepeatedLogProb['logProbRepeated'] | undefined {
  const method = (p as Partial<RepeatedLogProb>).logProbRepeated;
  return typeof method === 'function' ? method.bind(p) : undefined;
}

/**
 * log p(x | z) for z [samples, batch, latentDim]: [samples, batch]. The data is
 * repeated once per draw unless the decoder's distribution scores it repeated
 * itself ({@link RepeatedLogProb}).
 */
export function logLikelihoodOfSamples(
  model: LatentVariableModel,
  x: tf.Tensor,
  z: tf.Tensor,
): tf.Tensor {
  const [samples, batch, latentDim] = z.shape as [number, number, number];
  const p = model.decode(tf.reshape(z, [samples * batch, latentDim]));
  try {
    const repeated = samples > 1 ? repeatedLogProb(p) : undefined;
    const value = repeated !== undefined ? repeated(x, samples) : p.logProb(repeatRows(x, samples));
    return tf.reshape(value, [samples, batch]);
  } finally {
    p.dispose();
  }
}
