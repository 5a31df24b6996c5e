import * as tf from '@tensorflow/tfjs-core';
import { checkElboOptions, klTerms } from './internal/elbo-terms.js';
import { logLikelihoodOfSamples } from './internal/fast-path.js';
import type { LatentVariableModel } from './latent-variable-model.js';

/** Options of {@link elbo}. */
export interface ElboOptions {
  /** Monte Carlo samples of z per example for the reconstruction term (default 1). */
  samples?: number;
  /** Weight of the KL term (default 1; beta-VAE uses beta > 1). */
  beta?: number;
  /**
   * 'analytic' (default): closed form (the fast N(0, I) path, else
   * `klDivergence` from @vae/distributions); 'montecarlo': the mean over the
   * samples of log q(z | x) - log p(z).
   */
  kl?: 'analytic' | 'montecarlo';
  /**
   * Free bits lambda (nats per latent dimension): the KL penalty becomes
   * sum_j max(lambda, KL_j) per example, where KL_j is the closed-form KL of
   * dimension j (Kingma et al. 2016, per example rather than per minibatch).
   * Needs the N(0, I) prior and a diagonal Gaussian posterior.
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
 * @example
 * ```ts
 * const { elbo: bound, reconstruction, kl } = elbo(model, x, { samples: 1 });
 * bound.mean().print(); // nats per example (negative)
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
    const z = q.rsample([samples], options.seed); // [samples, batch, latentDim]
    const logLikelihood = logLikelihoodOfSamples(model, x, z);
    const reconstructionTerm = tf.mean(logLikelihood, 0);
    const terms = klTerms(model, q, { fn: 'elbo', kl: klMode, freeBits: options.freeBits, z });
    q.dispose();
    return [
      tf.sub(reconstructionTerm, tf.mul(terms.penalty, beta)),
      reconstructionTerm,
      terms.kl,
    ] as tf.Tensor1D[];
  }) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  return { elbo: elboValue, reconstruction, kl };
}
