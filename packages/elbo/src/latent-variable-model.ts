import type * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';

/**
 * What the bounds in this package need from a model (`VAE` from `@vae/nn`
 * satisfies it): a prior p(z), an encoder x -> q(z | x) and a decoder
 * z -> p(x | z). x is [batch, ...dataShape], z is [batch, latentDim]. Each
 * method returns a distribution the caller owns (the bounds dispose them).
 *
 * The KL term goes through `klDivergence` of `@vae/distributions`: a closed
 * form registered for the pair of classes (q's and p's), or a Monte Carlo
 * estimate, as {@link ElboOptions.kl} says. No flag on the model picks it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { LatentVariableModel } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * const model: LatentVariableModel = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * const prior = model.priorDistribution();
 * console.log(prior.eventShape); // -> [ 2 ]
 * ```
 */
export interface LatentVariableModel {
  /** p(z): batch shape [], event shape [latentDim], from the current parameters. */
  priorDistribution(): Distribution;
  /** x [batch, ...dataShape] -> q(z | x), batch [batch], event [latentDim]. */
  encode(x: tf.Tensor): Distribution;
  /** z [batch, latentDim] -> p(x | z), batch [batch], event dataShape. */
  decode(z: tf.Tensor): Distribution;
}

/**
 * A Gaussian with diagonal covariance that exposes its parameters
 * ([...batch, latentDim]): what free bits need of the posterior and the prior
 * (`DiagonalNormal` and `StandardNormal` of `@vae/nn` have them).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { GaussianPosteriorParameters } from '@vae/elbo';
 * const parameters: GaussianPosteriorParameters = { loc: tf.zeros([2, 3]), logVariance: tf.zeros([2, 3]) };
 * ```
 */
export interface GaussianPosteriorParameters {
  /** The means [...batch, latentDim]. */
  loc: tf.Tensor;
  /** The log-variances, the same shape as `loc`. */
  logVariance: tf.Tensor;
}
