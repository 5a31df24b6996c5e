import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { klNormal } from '@vae/divergence';
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

/**
 * Repeats x [batch, ...] `times` along the batch axis: [times * batch, ...], copy i
 * in rows [i * batch, (i + 1) * batch). A concatenation of `times` copies, not
 * tf.tile: on wasm, Tile computes an index per element and was over half of the
 * time of a k = 5000 log-likelihood; concatenating along axis 0 is a block copy.
 */
export function repeatBatch(x: tf.Tensor, times: number): tf.Tensor {
  if (times === 1) return x;
  return tf.concat(new Array<tf.Tensor>(times).fill(x), 0);
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
    const value =
      repeated !== undefined ? repeated(x, samples) : p.logProb(repeatBatch(x, samples));
    return tf.reshape(value, [samples, batch]);
  } finally {
    p.dispose();
  }
}
