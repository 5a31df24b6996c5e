import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, ensureArgument } from '@vae/divergence';

/** The stream of `seed` the ELBO of {@link elboGap} draws from (the bound's chunks use 0, 1, ...). */
const ELBO_STREAM = 0x454c424f;

import { elbo } from './elbo.js';
import { importanceBound } from './internal/importance.js';
import type { LatentVariableModel } from './latent-variable-model.js';

/** Options of {@link logLikelihood} and {@link elboGap}. */
export interface LogLikelihoodOptions {
  /** Importance samples per example (default 5000, the usual figure for reported numbers). */
  k?: number;
  /**
   * Rows (sample, example) decoded at once (default 4096); the k samples are
   * drawn in chunks of max(1, floor(batchSize / batch)).
   */
  batchSize?: number;
  /** Seed of the first chunk (chunk i uses `deriveSeed(seed, i)`); random if omitted. */
  seed?: number;
}

function chunkOf(fn: string, x: tf.Tensor, options: LogLikelihoodOptions): [number, number] {
  const { k = 5000, batchSize = 4096 } = options;
  ensureArgument(
    Number.isInteger(k) && k >= 1,
    () => `${fn}: \`k\` must be a positive integer, got ${k}`,
  );
  ensureArgument(
    Number.isInteger(batchSize) && batchSize >= 1,
    () => `${fn}: \`batchSize\` must be a positive integer, got ${batchSize}`,
  );
  return [k, Math.max(1, Math.floor(batchSize / (x.shape[0] ?? 1)))];
}

/**
 * Estimate of log p(x) per example: the IWAE bound with k samples (k = 5000
 * by default), computed in chunks so memory stays bounded. Peak memory grows
 * with the rows decoded at once (`batchSize`), whatever k is: measured with
 * `tf.profile` on wasm, about 9.4 KiB a row for the 784-400-20 MLP (38 MiB at
 * the default batchSize 4096), 0.11 MiB for the conv preset and 0.47 MiB for the
 * residual one (1.9 GiB at 4096 rows; wasm's address space is 4 GiB, so lower
 * `batchSize` for larger convolutional models). x [batch, ...dataShape] ->
 * [batch], in nats.
 *
 * @param model - The model: prior, encoder and decoder.
 * @param x - A batch of data [batch, ...dataShape].
 * @param options - `k` samples, `batchSize` rows at once and the seed.
 * @returns log p(x) per example [batch] in nats, which the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { logLikelihood } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 *
 * const model = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const testBatch = tf.round(tf.randomUniform([4, 8], 0, 1, 'float32', 1));
 * const ll = logLikelihood(model, testBatch, { k: 500, batchSize: 256, seed: 1 }); // [batch]
 * console.log(ll.shape); // -> [ 4 ]
 * ```
 */
export function logLikelihood(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: LogLikelihoodOptions = {},
): tf.Tensor1D {
  const [k, chunk] = chunkOf('logLikelihood', x, options);
  return importanceBound(model, x, { k, chunk, seed: options.seed });
}

/**
 * logLikelihood - ELBO per example [batch]: an estimate of
 * KL(q(z | x) || p(z | x)), how far the encoder is from the true posterior
 * (log p(x) = ELBO + that KL; the importance-weighted bound approaches log p(x)
 * as k grows). The ELBO uses one sample per example unless
 * `samples` says otherwise.
 *
 * @param model - The model: prior, encoder and decoder.
 * @param x - A batch of data [batch, ...dataShape].
 * @param options - As for {@link logLikelihood}, and `samples` of the ELBO (default 1).
 * @returns The gap per example [batch] in nats, which the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { elboGap } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 *
 * const model = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const x = tf.round(tf.randomUniform([4, 8], 0, 1, 'float32', 1)); // binary data [4, 8]
 * const gap = elboGap(model, x, { k: 500, samples: 100, seed: 1 }); // [batch], >= 0 up to noise
 * console.log(tf.min(gap).dataSync()[0]! > -0.5); // -> true
 * ```
 */
export function elboGap(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: LogLikelihoodOptions & { samples?: number } = {},
): tf.Tensor1D {
  const [k, chunk] = chunkOf('elboGap', x, options);
  return tf.tidy(() => {
    const ll = importanceBound(model, x, { k, chunk, seed: options.seed });
    const terms = elbo(model, x, {
      samples: options.samples ?? 1,
      ...(options.seed === undefined ? {} : { seed: deriveSeed(options.seed, ELBO_STREAM) }),
    });
    return tf.sub(ll, terms.elbo) as tf.Tensor1D;
  });
}
