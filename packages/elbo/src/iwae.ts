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
 * @example
 * ```ts
 * const bound = iwae(model, x, { k: 50, seed: 1 }); // [batch]
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
