// The model under test, written with @vae/nn + @vae/elbo and trained with @vae/trainer's step.
import type * as tf from '@tensorflow/tfjs-core';
import * as elbo from '@vae/elbo';
import { mlpVAE } from '@vae/nn';
import { FusedAdam, fit, trainStep } from '@vae/trainer';
import type { BenchModel } from './bench-model.js';

type LogLikelihood = (
  model: unknown,
  x: tf.Tensor,
  options: { k: number; seed?: number },
) => tf.Tensor;

/** The MLP VAE 784-400-20, Bernoulli decoder, Adam 1e-3 (FusedAdam: the same steps as tf.train.adam). */
export function vaeStack(seed: number): BenchModel {
  const vae = mlpVAE({
    inputShape: [784],
    hidden: [400],
    latentDim: 20,
    likelihood: 'bernoulli',
    seed,
  });
  const optimizer = new FusedAdam(1e-3);
  let step = 0;
  const estimator = (elbo as unknown as { logLikelihood?: LogLikelihood }).logLikelihood;
  return {
    name: '@vae',
    async trainStep(x) {
      const seedOfStep = seed + step++;
      await trainStep(
        vae.trainableVariables,
        () => elbo.negativeElboLoss(vae, x, { seed: seedOfStep }),
        {
          optimizer,
        },
      );
    },
    async fitEpoch(data, batchSize) {
      await fit(vae, data, {
        loss: (batch, context) => elbo.negativeElboLoss(vae, batch, { seed: context.seed }),
        batchSize,
        optimizer,
        seed: seed + step++,
      });
    },
    async sample(n) {
      const images = vae.sample(n, { seed: seed + step++ });
      await images.data();
      images.dispose();
    },
    ...(estimator !== undefined && {
      async logLikelihood(x, k) {
        const value = estimator(vae, x, { k, seed: seed + step++ });
        await value.data();
        value.dispose();
      },
    }),
    dispose() {
      optimizer.dispose();
      vae.dispose();
    },
  };
}
