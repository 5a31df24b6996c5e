import * as tf from '@tensorflow/tfjs-core';
import { checkElboOptions, klTerms } from './internal/elbo-terms.js';
import { logLikelihoodOfSamples } from './internal/fast-path.js';
import type { LatentVariableModel } from './latent-variable-model.js';

/**
 * How the ELBO computes KL(q(z | x) || p(z)):
 * - `'auto'`: the closed form `klDivergence` has for the pair of classes (the
 *   diagonal Gaussian posterior against N(0, I) or a learned diagonal prior),
 *   else the Monte Carlo estimate below; never a closed form of another pair.
 * - `'analytic'`: the closed form, or `VaeError('KL_NOT_REGISTERED')` naming the pair.
 * - `'montecarlo'`: the mean over the posterior samples of log q(z | x) - log p(z).
 *
 * @example
 * ```ts
 * import type { KlEstimator } from '@vae/elbo';
 * const estimator: KlEstimator = 'auto';
 * ```
 */
export type KlEstimator = 'auto' | 'analytic' | 'montecarlo';

/** Options of {@link elbo}. */
export interface ElboOptions {
  /** Monte Carlo samples of z per example for the reconstruction term (default 1). */
  samples?: number;
  /** Weight of the KL term (default 1; beta-VAE uses beta > 1). */
  beta?: number;
  /** How the KL term is computed; see {@link KlEstimator}. Default 'auto'. */
  kl?: KlEstimator;
  /**
   * Free bits lambda (nats per latent dimension): the KL penalty becomes
   * sum_j max(lambda, KL_j) per example, where KL_j is the closed-form KL of
   * dimension j (Kingma et al. 2016, per example rather than per minibatch).
   * Needs a diagonal Gaussian posterior and prior (exposing loc and logVariance).
   */
  freeBits?: number;
  /** Seed of the posterior samples; random if omitted. */
  seed?: number;
}

/** Per-example terms of the bound, each [batch]. */
export interface ElboTerms {
  /** reconstruction - beta * penalty; the ELBO itself when beta = 1 and no free bits. */
  elbo: tf.Tensor1D;
  /** E_q[log p(x | z)], estimated with `samples` draws. */
  reconstruction: tf.Tensor1D;
  /** KL(q(z | x) || p(z)) (without free bits). */
  kl: tf.Tensor1D;
}

/**
 * The evidence lower bound per example:
 * ELBO(x) = E_q[log p(x | z)] - KL(q(z | x) || p(z)), with the expectation
 * estimated from `samples` reparameterized draws (gradients flow).
 * x [batch, ...dataShape] -> { elbo, reconstruction, kl }, each [batch]; the
 * caller owns them.
 *
 * @param model - The model: prior, encoder and decoder.
 * @param x - A batch of data [batch, ...dataShape].
 * @param options - Samples, beta, the KL estimator, free bits and the seed.
 * @returns The per-example terms, which the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { elbo } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * const model = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * const x = tf.randomUniform([4, 784], 0, 1, 'float32', 1);
 * const terms = elbo(model, x, { samples: 1, seed: 2 });
 * console.log(tf.mean(terms.elbo).dataSync()[0]); // nats per example (negative)
 * tf.dispose([x, terms.elbo, terms.reconstruction, terms.kl]);
 * model.dispose();
 * ```
 */
export function elbo(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: ElboOptions = {},
): ElboTerms {
  const { samples, beta, kl: klMode } = checkElboOptions('elbo', options);
  const [elboValue, reconstruction, kl] = tf.tidy(() => {
    const q = model.encode(x);
    const prior = model.priorDistribution();
    const z = q.rsample([samples], options.seed); // [samples, batch, latentDim]
    const logLikelihood = logLikelihoodOfSamples(model, x, z);
    const reconstructionTerm = tf.mean(logLikelihood, 0);
    const terms = klTerms(q, prior, {
      fn: 'elbo',
      kl: klMode,
      freeBits: options.freeBits,
      z: () => z,
    });
    q.dispose();
    prior.dispose();
    return [
      tf.sub(reconstructionTerm, tf.mul(terms.penalty, beta)),
      reconstructionTerm,
      terms.kl,
    ] as tf.Tensor1D[];
  }) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  return { elbo: elboValue, reconstruction, kl };
}
