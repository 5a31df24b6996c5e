import type * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';

/**
 * What the bounds in this package need from a model (`VAE` from `@vae/nn`
 * satisfies it): a prior p(z), an encoder x -> q(z | x) and a decoder
 * z -> p(x | z). x is [batch, ...dataShape], z is [batch, latentDim].
 *
 * Optional fast path: when `standardNormalPrior` is true and the posterior
 * exposes `loc` and `logVariance` tensors ([batch, latentDim]), the analytic
 * KL is computed from them directly (`klStandardNormal`) instead of through
 * the KL registry.
 *
 * @example
 * ```ts
 * const model: LatentVariableModel = mlpVAE({ latentDim: 20 });
 * ```
 */
export interface LatentVariableModel {
  /** p(z): batch shape [], event shape [latentDim]. */
  readonly prior: Distribution;
  /** x [batch, ...dataShape] -> q(z | x), batch [batch], event [latentDim]; the caller owns it. */
  encode(x: tf.Tensor): Distribution;
  /** z [batch, latentDim] -> p(x | z), batch [batch], event dataShape; the caller owns it. */
  decode(z: tf.Tensor): Distribution;
  /** True when `prior` is N(0, I). */
  readonly standardNormalPrior?: boolean;
}

/** A diagonal Gaussian posterior that exposes its parameters (see the fast path above). */
export interface GaussianPosteriorParameters {
  loc: tf.Tensor;
  logVariance: tf.Tensor;
}
