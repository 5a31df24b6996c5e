import * as tf from '@tensorflow/tfjs-core';
import type { ElboOptions } from './elbo.js';
import { checkElboOptions, klTerms } from './internal/elbo-terms.js';
import { ENCODE_DATA } from './internal/encode-data.js';
import { logLikelihoodOfSamples } from './internal/fast-path.js';
import type { LatentVariableModel } from './latent-variable-model.js';

/**
 * The training loss: -mean over the batch of (E_q[log p(x | z)] - beta * KL),
 * one reparameterized sample per example by default, a scalar. The lean hot
 * path: one encoder pass, one decoder pass, the closed-form KL for a VAE.
 * Use it inside `optimizer.minimize(() => negativeElboLoss(model, x))`. It
 * trains parameters: the encoder skips the gradient with respect to x (use
 * {@link elbo} to differentiate with respect to the data).
 *
 * @param model - The model: prior, encoder and decoder.
 * @param x - A batch of data [batch, ...dataShape].
 * @param options - Samples, beta, the KL estimator, free bits and the seed, as for {@link elbo}.
 * @returns The scalar loss, which the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { linearWarmup, negativeElboLoss } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * import { ensureGradients } from '@vae/trainer';
 *
 * await ensureGradients(); // tfjs-core registers no gradients by itself
 * const model = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const x = tf.round(tf.randomUniform([4, 8], 0, 1, 'float32', 1)); // binary data [4, 8]
 * const schedule = linearWarmup({ steps: 100 });
 * const optimizer = tf.train.adam(1e-3);
 * for (let step = 0; step < 3; step++) {
 *   optimizer.minimize(
 *     () => negativeElboLoss(model, x, { beta: schedule(step), seed: step }),
 *     false,
 *     model.trainableVariables,
 *   );
 * }
 * ```
 */
export function negativeElboLoss(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: ElboOptions = {},
): tf.Scalar {
  const { samples, beta, kl: klMode } = checkElboOptions('negativeElboLoss', options);
  return tf.tidy(() => {
    const q = model.encode(x, ENCODE_DATA);
    const prior = model.priorDistribution();
    let reconstruction: tf.Tensor;
    let z: tf.Tensor;
    if (samples === 1) {
      // The lean path: one draw [batch, latentDim], decoded without reshapes.
      const draw = q.rsample([], options.seed);
      const p = model.decode(draw);
      reconstruction = p.logProb(x);
      p.dispose();
      z = tf.expandDims(draw, 0);
    } else {
      z = q.rsample([samples], options.seed);
      reconstruction = tf.mean(logLikelihoodOfSamples(model, x, z), 0);
    }
    const { penalty } = klTerms(q, prior, {
      fn: 'negativeElboLoss',
      kl: klMode,
      freeBits: options.freeBits,
      z: () => z,
    });
    q.dispose();
    prior.dispose();
    const perExample =
      beta === 1 ? tf.sub(penalty, reconstruction) : tf.sub(tf.mul(penalty, beta), reconstruction);
    return tf.mean(perExample) as tf.Scalar;
  });
}
