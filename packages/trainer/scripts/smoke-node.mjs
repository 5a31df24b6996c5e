// Plain-Node check of the BUILT package (no bundler, no vitest): gradients get
// registered by `fit` itself, a model trains, and the file store round-trips.
// Run: pnpm --filter @vae/trainer build && node packages/trainer/scripts/smoke-node.mjs
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fit, gradientsRegistered, tensorData } from '@vae/trainer';
import { fileCheckpointStore } from '@vae/trainer/node';

tf.env().set('IS_TEST', true);
await tf.setBackend('cpu');
const before = gradientsRegistered();
const x = tf.randomNormal([64, 3], 0, 1, 'float32', 1);
const y = tf.matMul(x, tf.tensor2d([2, -1, 0.5], [3, 1]));
const w = tf.variable(tf.zeros([3, 1]));
const directory = await mkdtemp(join(tmpdir(), 'vae-smoke-'));
const store = fileCheckpointStore(join(directory, 'run.ckpt'));
const started = performance.now();
const result = await fit({ trainableVariables: [w] }, tensorData({ x, y }), {
  loss: ({ x, y }) => tf.losses.meanSquaredError(y, tf.matMul(x, w)),
  epochs: 40,
  batchSize: 16,
  learningRate: 0.05,
  checkpoint: { store },
});
const seconds = ((performance.now() - started) / 1000).toFixed(2);
const saved = await store.load();
await rm(directory, { recursive: true, force: true });
const weights = Array.from(w.dataSync());
console.log(
  JSON.stringify({
    gradientsBefore: before,
    gradientsAfter: gradientsRegistered(),
    weights,
    steps: result.steps,
    savedStep: saved?.state.step,
    seconds,
  }),
);
if ([2, -1, 0.5].some((v, i) => Math.abs(weights[i] - v) > 1e-2)) process.exit(1);
