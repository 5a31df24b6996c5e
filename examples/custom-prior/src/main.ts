// Tutorial: a VAE with a prior of your choice, on a few hundred MNIST digits.
//   pnpm --filter @vae/example-custom-prior start [epochs] [out.png]
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { imageGrid } from '@vae/viz';
import { writePng } from '@vae/viz/node';
import { type PriorKind, sampleDigits, trainWithPrior } from './index.js';
import { loadMnist } from './mnist.js';

const epochs = Number(process.argv[2] ?? 20);
const out = process.argv[3] ?? 'custom-prior.png';
tf.env().set('PROD', true);
await tf.setBackend('wasm');

const { images } = await loadMnist(700);
const [train, test] = tf.split(images, [500, 200]) as [tf.Tensor2D, tf.Tensor2D];
console.log(`500 training and 200 test digits, ${epochs} epochs of batches of 50`);

const rows: tf.Tensor2D[] = [];
for (const prior of ['standard-normal', 'mixture', 'vamp'] as PriorKind[]) {
  const started = performance.now();
  const { model, history, testElbo } = await trainWithPrior(train, test, {
    prior,
    epochs,
    seed: 1,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `  ${prior.padEnd(16)} prior ${model.prior.constructor.name.padEnd(24)} train -ELBO ${history.at(-1)!.toFixed(1)}, test ELBO ${testElbo.toFixed(1)} nats (${seconds} s)`,
  );
  rows.push(sampleDigits(model, 10, 2));
  model.dispose();
}
const samples = tf.concat(rows);
await writePng(out, imageGrid(samples, { columns: 10, scale: 2 }));
console.log(`wrote ${out}: one row of digits drawn from each prior, in the order above`);
tf.dispose([images, train, test, samples, ...rows]);
