import * as tf from '@tensorflow/tfjs-core';
import { checkSeed, ensureArgument } from '@vae/divergence';
import { logImportanceWeights } from './internal/log-weights.js';
import type { LatentVariableModel } from './latent-variable-model.js';

/**
 * Options of {@link iwaeValidationLoss}.
 *
 * @example
 * ```ts
 * import type { IwaeValidationOptions } from '@vae/elbo';
 * const options: IwaeValidationOptions = { k: 100, batchSize: 4096 };
 * ```
 */
export interface IwaeValidationOptions {
  /** Importance samples per example (default 100). */
  k?: number;
  /**
   * Rows (sample, example) decoded at once (default 4096): the k samples are
   * drawn in chunks of max(1, floor(batchSize / batch)), so memory stays
   * bounded whatever k is.
   */
  batchSize?: number;
}

/** What the validation loss returns: `fit`'s `LossResult` shape (nats per example). */
export interface IwaeValidationResult {
  /** -mean IWAE_k(x): lower is better; what `fit` monitors as `validationLoss`. */
  loss: tf.Scalar;
  /** `iwae`: mean IWAE_k(x); `elbo`: the mean log-weight, a k-sample ELBO estimate. */
  metrics: {
    /** Mean IWAE_k(x). */
    iwae: tf.Scalar;
    /** Mean log-weight, a k-sample ELBO estimate. */
    elbo: tf.Scalar;
  };
}

/**
 * A validation loss for `fit` of `@vae/trainer` (its `validationLoss` option):
 * the negative importance-weighted bound -mean IWAE_k(x) of each validation
 * batch, computed in chunks of samples so memory stays bounded, with the bound
 * and a k-sample ELBO estimate as metrics. `fit` evaluates it after every
 * epoch on `validationData` (a split of the training data, never the test set),
 * so early stopping with `restoreBest`, or an `onEvent` that saves the model
 * when `validationLoss` improves, picks the model by its IWAE bound. The
 * samples are seeded by the context's seed (the same seed, the same samples).
 *
 * @param model - Any {@link LatentVariableModel} (a `VAE` of `@vae/nn`).
 * @param options - `k` (default 100) and `batchSize` (rows decoded at once, default 4096).
 * @returns `(batch, { seed }) => { loss, metrics }`; the caller owns the tensors it returns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { iwaeValidationLoss, negativeElboLoss } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * import { fit, tensorData } from '@vae/trainer';
 * const model = mlpVAE({ inputShape: [16], hidden: [8], latentDim: 2, seed: 1 });
 * const data = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([40, 16], 0, 1, 'float32', 2), 0.5), 'float32'));
 * const [train, validation] = tf.split(data, [32, 8]);
 * const result = await fit(model, train!, {
 *   loss: (x, { seed }) => negativeElboLoss(model, x, { seed }),
 *   validationData: tensorData(validation!),
 *   validationLoss: iwaeValidationLoss(model, { k: 50 }),
 *   epochs: 2,
 *   batchSize: 8,
 * });
 * console.log(result.history.map((epoch) => epoch.validationLoss)); // -IWAE_50 per epoch, nats
 * tf.dispose([data, train, validation]);
 * model.dispose();
 * ```
 */
export function iwaeValidationLoss(
  model: LatentVariableModel,
  options: IwaeValidationOptions = {},
): (batch: tf.Tensor, context: { seed: number }) => IwaeValidationResult {
  const { k = 100, batchSize = 4096 } = options;
  ensureArgument(
    Number.isInteger(k) && k >= 1,
    () => `iwaeValidationLoss: \`k\` must be a positive integer, got ${k}`,
  );
  ensureArgument(
    Number.isInteger(batchSize) && batchSize >= 1,
    () => `iwaeValidationLoss: \`batchSize\` must be a positive integer, got ${batchSize}`,
  );
  return (batch, context) => {
    checkSeed('iwaeValidationLoss', context?.seed);
    const chunk = Math.max(1, Math.floor(batchSize / (batch.shape[0] ?? 1)));
    const [loss, iwae, elbo] = tf.tidy(() => {
      const { bound, meanLogWeight } = chunkedBound(model, batch, { k, chunk, seed: context.seed });
      const mean = tf.mean(bound);
      return [tf.neg(mean), mean, tf.mean(meanLogWeight)];
    }) as tf.Scalar[];
    return { loss: loss!, metrics: { iwae: iwae!, elbo: elbo! } };
  };
}

/**
 * IWAE_k per example [batch] and the mean log-weight [batch], drawing `chunk`
 * samples at a time from one encoding (chunk i from `deriveSeed(seed, i)`, as
 * `logLikelihood` draws them), combined with a running logsumexp and sum. In
 * the caller's tidy.
 */
function chunkedBound(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: { k: number; chunk: number; seed: number },
): { bound: tf.Tensor; meanLogWeight: tf.Tensor } {
  const { k, chunk, seed } = options;
  const distributions = { q: model.encode(x), prior: model.priorDistribution() };
  let logSum: tf.Tensor | undefined;
  let sum: tf.Tensor | undefined;
  try {
    for (let start = 0, stream = 0; start < k; start += chunk, stream++) {
      const size = Math.min(chunk, k - start);
      const [previousLogSum, previousSum] = [logSum, sum];
      [logSum, sum] = tf.tidy(() => {
        const logWeights = logImportanceWeights(model, x, { k: size, seed, stream, distributions });
        const partLogSum = tf.logSumExp(logWeights, 0);
        const partSum = tf.sum(logWeights, 0);
        return previousLogSum === undefined || previousSum === undefined
          ? [partLogSum, partSum]
          : [tf.logSumExp(tf.stack([previousLogSum, partLogSum]), 0), tf.add(previousSum, partSum)];
      });
      tf.dispose([previousLogSum, previousSum] as tf.Tensor[]);
    }
  } finally {
    distributions.q.dispose();
    distributions.prior.dispose();
  }
  return {
    bound: tf.sub(logSum as tf.Tensor, Math.log(k)),
    meanLogWeight: tf.div(sum as tf.Tensor, k),
  };
}
