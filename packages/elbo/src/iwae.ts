import type * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { importanceBound } from './internal/importance.js';
import type { LatentVariableModel } from './latent-variable-model.js';

/** Options of {@link iwae}. */
export interface IwaeOptions {
  /** Number of importance samples per example (k = 1 is the ELBO's single-sample estimate). */
  k: number;
  /** Seed of the posterior samples; random if omitted. */
  seed?: number;
}

/**
 * The importance-weighted bound (Burda et al. 2016), per example:
 * IWAE_k(x) = log (1/k) sum_{i=1..k} p(x | z_i) p(z_i) / q(z_i | x), z_i ~ q(z | x).
 * ELBO <= IWAE_k <= IWAE_{k+1} <= log p(x) in expectation; differentiable
 * (reparameterized), so it also trains. x [batch, ...dataShape] -> [batch];
 * all k samples are decoded at once (use {@link logLikelihood} for large k).
 *
 * @param model - The model: prior, encoder and decoder.
 * @param x - A batch of data [batch, ...dataShape].
 * @param options - `k` importance samples per example and the seed.
 * @returns The bound per example [batch], which the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { elbo, iwae } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 *
 * const model = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const x = tf.round(tf.randomUniform([4, 8], 0, 1, 'float32', 1)); // binary data [4, 8]
 * const bound = iwae(model, x, { k: 50, seed: 1 }); // [batch]
 * const lower = elbo(model, x, { samples: 50, seed: 1 }).elbo;
 * console.log(bound.shape); // -> [ 4 ]
 * // IWAE_50 >= ELBO, up to Monte Carlo noise:
 * console.log(tf.mean(bound).dataSync()[0]! >= tf.mean(lower).dataSync()[0]! - 0.1); // -> true
 * ```
 */
export function iwae(model: LatentVariableModel, x: tf.Tensor, options: IwaeOptions): tf.Tensor1D {
  const { k, seed } = options;
  ensureArgument(
    Number.isInteger(k) && k >= 1,
    () => `iwae: \`k\` must be a positive integer, got ${k}`,
  );
  return importanceBound(model, x, { k, chunk: k, seed });
}
