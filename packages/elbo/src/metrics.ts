import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import type { LatentVariableModel } from './latent-variable-model.js';

/**
 * Negative log-likelihood in nats per example, -mean(values), from
 * per-example log-likelihoods or ELBOs [batch] (lower is better). A scalar the caller owns.
 *
 * @param values - Per-example log-likelihoods or ELBOs in nats, [batch].
 * @returns -mean(values), a scalar the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { natsPerExample } from '@vae/elbo';
 *
 * natsPerExample(tf.tensor1d([-98, -100])).print(); // -> 99
 * ```
 */
export function natsPerExample(values: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(values)) as tf.Scalar);
}

/**
 * Bits per dimension: -mean(values) / (D ln 2) for per-example
 * log-likelihoods or ELBOs [batch] in nats and D dimensions per example.
 *
 * @param values - Per-example log-likelihoods or ELBOs in nats, [batch].
 * @param dimensions - D, the number of dimensions of one example (784 for MNIST).
 * @returns A scalar the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { bitsPerDim } from '@vae/elbo';
 *
 * bitsPerDim(tf.tensor1d([-784 * Math.LN2]), 784).print(); // -> 1
 * ```
 */
export function bitsPerDim(values: tf.Tensor, dimensions: number): tf.Scalar {
  ensureArgument(
    Number.isInteger(dimensions) && dimensions > 0,
    () => `bitsPerDim: \`dimensions\` must be a positive integer, got ${dimensions}`,
  );
  return tf.tidy(() => tf.div(tf.neg(tf.mean(values)), dimensions * Math.LN2) as tf.Scalar);
}

/**
 * Active latent units (Burda et al. 2016): dimension u is active when
 * Cov_x(E_q[z_u | x]) > threshold (default 0.01), the variance over the
 * examples of x [batch, ...dataShape] (batch >= 2) of the posterior mean.
 *
 * @param model - The model whose posterior means are measured.
 * @param x - Examples [batch, ...dataShape], at least 2.
 * @param options - `threshold` on the variance (default 0.01).
 * @returns The number of active units and the variance of each latent dimension.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { activeUnits } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 *
 * const model = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 3, seed: 1 });
 * const testImages = tf.round(tf.randomUniform([16, 8], 0, 1, 'float32', 1));
 * const { count, variances } = await activeUnits(model, testImages);
 * console.log(variances.length, count <= 3); // -> 3 true
 * ```
 */
export async function activeUnits(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: { threshold?: number } = {},
): Promise<{
  /** The number of active dimensions. */
  count: number;
  /** Cov_x(E_q[z_u | x]) of each latent dimension u. */
  variances: number[];
}> {
  const { threshold = 0.01 } = options;
  const batch = x.shape[0] ?? 0;
  ensureArgument(batch >= 2, () => `activeUnits: \`x\` needs at least 2 examples, got ${batch}`);
  const variance = tf.tidy(() => {
    const q = model.encode(x);
    const mean = q.mean(); // [batch, latentDim]
    q.dispose();
    const centered = tf.sub(mean, tf.mean(mean, 0));
    return tf.div(tf.sum(tf.square(centered), 0), batch - 1);
  });
  const variances = Array.from(await variance.data());
  variance.dispose();
  return { count: variances.filter((v) => v > threshold).length, variances };
}
