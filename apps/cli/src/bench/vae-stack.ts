// The model under test, written with @vae/nn + @vae/elbo and trained with @vae/trainer's step.
import type * as tf from '@tensorflow/tfjs-core';
import * as elbo from '@vae/elbo';
import { convVAE, mlpVAE } from '@vae/nn';
import { FusedAdam, fit, trainStep } from '@vae/trainer';
import { BENCH_ARCHITECTURES, type BenchModelName } from './architectures.js';
import type { BenchModel } from './bench-model.js';

type LogLikelihood = (
  model: unknown,
  x: tf.Tensor,
  options: { k: number; seed?: number },
) => tf.Tensor;

function build(name: BenchModelName, seed: number) {
  if (name === 'mlp') {
    return mlpVAE({
      inputShape: [784],
      hidden: [400],
      latentDim: 20,
      likelihood: 'bernoulli',
      seed,
    });
  }
  // convVAE's defaults: channels 32, 64; dense 256; latent 16; Bernoulli.
  const inputShape = BENCH_ARCHITECTURES[name].imageShape as [number, number, number];
  return convVAE({ inputShape, seed });
}

/**
 * The benchmarked model `name` (./architectures.ts) from @vae/nn, trained with Adam 1e-3
 * (FusedAdam: the same steps as tf.train.adam) on @vae/elbo's negative ELBO.
 */
export function vaeStack(name: BenchModelName, seed: number): BenchModel {
  const vae = build(name, seed);
  const optimizer = new FusedAdam(1e-3);
  let step = 0;
  const estimator = (elbo as unknown as { logLikelihood?: LogLikelihood }).logLikelihood;
  return {
    name: '@vae',
    parameters: vae.trainableVariables.reduce((sum, v) => sum + v.size, 0),
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
