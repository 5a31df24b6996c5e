import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { deriveSeed } from '@vae/divergence';
import type { LatentVariableModel } from '../latent-variable-model.js';
import { logLikelihoodOfSamples } from './fast-path.js';

/**
 * log (1/k) sum_k p(x, z_k) / q(z_k | x) per example [batch], drawing the k
 * samples `chunk` at a time and combining the chunks with a running
 * logsumexp, so at most `chunk * batch` rows are decoded at once. Seeds of
 * successive chunks are `deriveSeed(seed, 0)`, `deriveSeed(seed, 1)`, ...
 */
export function importanceBound(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: { k: number; chunk: number; seed: number | undefined; q?: Distribution },
): tf.Tensor1D {
  const { k, chunk, seed } = options;
  return tf.tidy(() => {
    const q = options.q ?? model.encode(x);
    const prior = model.priorDistribution();
    let total: tf.Tensor | undefined;
    for (let start = 0, i = 0; start < k; start += chunk, i++) {
      const size = Math.min(chunk, k - start);
      const previous = total;
      total = tf.tidy(() => {
        const z = q.rsample([size], seed === undefined ? undefined : deriveSeed(seed, i));
        const logWeights = tf.add(
          logLikelihoodOfSamples(model, x, z),
          tf.sub(prior.logProb(z), q.logProb(z)),
        ); // [size, batch]
        const part = tf.logSumExp(logWeights, 0);
        return previous === undefined ? part : tf.logSumExp(tf.stack([previous, part]), 0);
      });
      previous?.dispose();
    }
    if (options.q === undefined) q.dispose();
    prior.dispose();
    return tf.sub(total as tf.Tensor, Math.log(k)) as tf.Tensor1D;
  });
}
