import * as tf from '@tensorflow/tfjs-core';
import { checkSeed, ensureArgument } from '@vae/divergence';
import { ENCODE_DATA } from './internal/encode-data.js';
import { logImportanceWeights } from './internal/log-weights.js';
import type { LatentVariableModel } from './latent-variable-model.js';

/**
 * Options of {@link negativeIwaeLoss}.
 *
 * @example
 * ```ts
 * import type { NegativeIwaeLossOptions } from '@vae/elbo';
 * const options: NegativeIwaeLossOptions = { k: 5, seed: 1 };
 * ```
 */
export interface NegativeIwaeLossOptions {
  /** Importance samples per example (k = 1 is the single-sample ELBO with Monte Carlo KL). */
  k: number;
  /** Seed of the posterior samples; random if omitted. Same seed, same samples as `iwae`. */
  seed?: number;
  /**
   * Also return the batch means of the bound (`iwae`) and of the k-sample ELBO
   * estimate (`elbo`, the mean log-weight) as metrics, `{ loss, metrics }`
   * (what `fit` of `@vae/trainer` reads). Default false: the loss alone.
   */
  metrics?: boolean;
}

/** The loss with the bound's metrics (nats per example, both <= 0 for binary data). */
export interface NegativeIwaeLossResult {
  /** -mean IWAE_k(x), the loss to minimize. */
  loss: tf.Scalar;
  /** Batch means of the bound and of the k-sample ELBO estimate. */
  metrics: {
    /** Mean IWAE_k(x). */
    iwae: tf.Scalar;
    /** Mean log-weight, a k-sample ELBO estimate. */
    elbo: tf.Scalar;
  };
}

/**
 * The IWAE training loss (Burda et al. 2016): -mean over the batch of
 * IWAE_k(x) = log (1/k) sum_i p(x, z_i) / q(z_i | x), z_i ~ q(z | x)
 * reparameterized, so its gradient is the importance-weighted gradient
 * sum_i w~_i grad log w_i (normalized weights w~_i). A scalar the caller owns;
 * use it inside `optimizer.minimize` or as `fit`'s loss. It equals
 * `-mean(iwae(model, x, { k, seed }))` for the same seed. It trains parameters:
 * the encoder skips the gradient with respect to x (use {@link iwae} for that).
 *
 * Memory: the k draws of every example are decoded in one pass, and the
 * gradient tape keeps their activations until the backward pass: about
 * k x batch rows of the decoder (and of any conditional prior or encoder level
 * fed with z). Keep k x batch near what one ELBO batch decodes (k = 5 with
 * batch 20 is Burda et al.'s 100 rows; k = 50 with batch 20 is 1000).
 *
 * @param model - The model: prior, encoder and decoder.
 * @param x - A batch of data [batch, ...dataShape].
 * @param options - `k` samples per example, the seed, and `metrics: true` for `{ loss, metrics }`.
 * @returns The scalar loss, or with `metrics: true` the loss and the batch means
 *   of the bound and of the k-sample ELBO; the caller owns them.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { negativeIwaeLoss } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * import { ensureGradients } from '@vae/trainer';
 * await ensureGradients(); // tfjs-core registers no gradients by itself
 * const model = mlpVAE({ inputShape: [16], hidden: [8], latentDim: 2, seed: 1 });
 * const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([4, 16], 0, 1, 'float32', 2), 0.5), 'float32'));
 * const optimizer = tf.train.adam(1e-3);
 * const loss = optimizer.minimize(() => negativeIwaeLoss(model, x, { k: 5, seed: 3 }), true, model.trainableVariables);
 * console.log(loss!.dataSync()[0]! > 0); // -> true
 * tf.dispose(x);
 * loss?.dispose();
 * optimizer.dispose();
 * model.dispose();
 * ```
 */
export function negativeIwaeLoss(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: NegativeIwaeLossOptions & { metrics: true },
): NegativeIwaeLossResult;
/**
 * The IWAE training loss, -mean over the batch of IWAE_k(x), as a scalar the
 * caller owns (see the overload with `metrics: true` for the full description).
 *
 * @param model - The model: prior, encoder and decoder.
 * @param x - A batch of data [batch, ...dataShape].
 * @param options - `k` samples per example and the seed.
 * @returns The scalar loss, which the caller owns.
 */
export function negativeIwaeLoss(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: NegativeIwaeLossOptions,
): tf.Scalar;
export function negativeIwaeLoss(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: NegativeIwaeLossOptions,
): tf.Scalar | NegativeIwaeLossResult {
  const { k, seed } = options ?? {};
  ensureArgument(
    Number.isInteger(k) && k >= 1,
    () => `negativeIwaeLoss: \`k\` must be a positive integer, got ${k}`,
  );
  checkSeed('negativeIwaeLoss', seed);
  const [loss, iwae, elbo] = tf.tidy(() => {
    const logWeights = logImportanceWeights(model, x, { k, seed, encode: ENCODE_DATA }); // [k, batch]
    const bound = tf.mean(tf.sub(tf.logSumExp(logWeights, 0), Math.log(k)));
    if (options.metrics !== true) return [tf.neg(bound)];
    return [tf.neg(bound), tf.clone(bound), tf.mean(logWeights)];
  }) as tf.Scalar[];
  if (options.metrics !== true) return loss as tf.Scalar;
  return { loss: loss as tf.Scalar, metrics: { iwae: iwae as tf.Scalar, elbo: elbo as tf.Scalar } };
}
