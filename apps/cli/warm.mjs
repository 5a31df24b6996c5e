import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@vae/backends';
import { ensureGradients, trainStep, FusedAdam } from '@vae/trainer';
import * as elbo from '@vae/elbo';
import { mlpVAE } from '@vae/nn';
import { loadMnist } from '@vae/data/node';
import { createDataSource } from '@vae/data';
await ensureGradients();
await useBackend('wasm', { threads: 2 });
tf.env().set('PROD', true);
const train = await loadMnist({ split: 'train', limit: 60000 });
const source = createDataSource(train, { binarize: 'dynamic', seed: 1 });
const vae = mlpVAE({ inputShape: [784], hidden: [400], latentDim: 20, likelihood: 'bernoulli', seed: 1 });
const optimizer = new FusedAdam(2e-3);
let s = 0;
const pool = Array.from({ length: 8 }, (_, i) => source.getBatch(Array.from({ length: 128 }, (_, j) => i * 128 + j)));
const step = (x) => trainStep(vae.trainableVariables, () => elbo.negativeElboLoss(vae, x, { seed: s++ }), { optimizer });
async function timeSteps(label) {
  for (let i = 0; i < 10; i++) await step(pool[i % 8]);
  const t = performance.now(); for (let i = 0; i < 100; i++) await step(pool[i % 8]);
  const ms = (performance.now() - t) / 100; console.log(label, ms.toFixed(2), 'ms', (128000 / ms).toFixed(0), 'samples/s');
}
await timeSteps('fresh');
for (let e = 0; e < 3; e++) {
  const t = performance.now();
  for (let b = 0; b < 468; b++) { const x = source.getBatch(Array.from({ length: 128 }, (_, j) => (b * 128 + j) % 60000)); await step(x); x.dispose(); }
  console.log('epoch', e, ((performance.now() - t) / 1000).toFixed(1), 's');
  await timeSteps('after epoch ' + e);
}
process.exit(0);
