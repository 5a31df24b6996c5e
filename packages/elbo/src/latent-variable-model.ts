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
  /**
   * x [batch, ...dataShape] -> q(z | x), batch [batch], event [latentDim]. The
   * training losses pass `{ inputGradient: false }`: they read no gradient with
   * respect to x, so the model may skip computing it.
   */
  encode(x: tf.Tensor, options?: { inputGradient?: boolean }): Distribution;
  /** z [batch, latentDim] -> p(x | z), batch [batch], event dataShape. */
  decode(z: tf.Tensor): Distribution;
}

/**
 * What a decoder's distribution may add so the bounds score k draws of z per
 * example without repeating the data: p, decoded from z stacked as k blocks of
 * `rows` ([k * rows, latentDim], block i the i-th draw for every example),
 * returns log p(x | z) [k * rows] for x [rows, ...dataShape] repeated k times.
 * `iwae`, `logLikelihood`, `negativeIwaeLoss` and `elbo` with several samples
 * call it when present; it must equal `logProb` of x repeated. An
 * autoregressive decoder computes x's own part of its first layer once per
 * example instead of once per draw.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { RepeatedLogProb } from '@vae/elbo';
 * import { autoregressiveVAE } from '@vae/nn';
 * const model = autoregressiveVAE({ inputShape: [6], hidden: [8], latentDim: 2, seed: 1 });
 * const z = tf.randomNormal([3 * 2, 2], 0, 1, 'float32', 2); // 3 draws for each of 2 examples
 * const p = model.decode(z) as unknown as RepeatedLogProb;
 * const x = tf.round(tf.randomUniform([2, 6], 0, 1, 'float32', 3));
 * console.log(p.logProbRepeated(x, 3).shape); // -> [ 6 ]
 * ```
 */
export interface RepeatedLogProb {
  /** log p(x | z) [copies * rows] for x [rows, ...dataShape] repeated `copies` times along the batch. */
  logProbRepeated(x: tf.Tensor, copies: number): tf.Tensor;
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
