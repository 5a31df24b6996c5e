import '@tensorflow/tfjs-backend-wasm';
import './register-gradients.js';
import * as tf from '@tensorflow/tfjs-core';
import { Linear, relu, Sequential } from '../src/index.js';

await tf.setBackend('wasm');
const B = 128;
const enc = new Sequential([
  new Linear({ inFeatures: 784, outFeatures: 400, seed: 1, inputGradient: false }),
  relu(),
]);
const head = new Linear({ inFeatures: 400, outFeatures: 40, seed: 2 });
const dec = new Sequential([
  new Linear({ inFeatures: 20, outFeatures: 400, seed: 3 }),
  relu(),
  new Linear({ inFeatures: 400, outFeatures: 784, seed: 4 }),
]);
const vars = [...enc.trainableVariables, ...head.trainableVariables, ...dec.trainableVariables];
const opt = tf.train.adam(1e-3);
const x = tf.tidy(() =>
  tf.cast(tf.greater(tf.randomUniform([B, 784], 0, 1, 'float32', 1), 0.5), 'float32'),
);
let seed = 0;
function loss() {
  const h = enc.call(x);
  const [mu, lv] = tf.split(head.call(h), 2, 1);
  const eps = tf.randomNormal([B, 20], 0, 1, 'float32', seed++);
  const z = tf.add(mu!, tf.mul(tf.exp(tf.mul(lv!, 0.5)), eps));
  const l = dec.call(z);
  const recon = tf.sum(tf.sub(tf.mul(x, l), tf.softplus(l)), 1);
  const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, lv!), tf.add(tf.square(mu!), tf.exp(lv!))), 1));
  return tf.mean(tf.sub(kl, recon)) as tf.Scalar;
}
function best(label: string, fn: () => void, reps = 25) {
  for (let i = 0; i < 3; i++) fn();
  let min = Infinity;
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  const c = process.cpuUsage(c0);
  console.log(label, 'min', min.toFixed(2), 'cpu', ((c.user + c.system) / 1000 / reps).toFixed(2));
}
best('forward', () =>
  tf.tidy(() => {
    loss().dataSync();
  }),
);
best('fwd+bwd', () =>
  tf.tidy(() => {
    const g = tf.variableGrads(loss, vars);
    g.value.dataSync();
  }),
);
const grads = tf.tidy(() => tf.variableGrads(loss, vars).grads);
for (const g of Object.values(grads)) tf.keep(g);
best('adam', () => {
  opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
});
best('sgd', () => {
  tf.train.sgd(0.001).applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
});
best('full', () => {
  const c = opt.minimize(loss, true, vars)!;
  c.dataSync();
  c.dispose();
});
const totals = new Map<string, number[]>();
for (let r = 0; r < 8; r++) {
  const prof = await tf.profile(() =>
    tf.tidy(() => {
      const g = tf.variableGrads(loss, vars);
      g.value.dataSync();
    }),
  );
  const by = new Map<string, number>();
  for (const k of prof.kernels)
    by.set(
      `${k.name}[${k.inputShapes.map((s) => s?.join('x')).join(',')}]`,
      (by.get(`${k.name}[${k.inputShapes.map((s) => s?.join('x')).join(',')}]`) ?? 0) +
        (k.kernelTimeMs as number),
    );
  for (const [k, v] of by) totals.set(k, [...(totals.get(k) ?? []), v]);
  if (r === 0) console.log('kernel count', prof.kernels.length);
}
const rows = [...totals].map(([k, v]) => [k, Math.min(...v)] as const).sort((a, b) => b[1] - a[1]);
let sum = 0;
for (const [, v] of rows) sum += v;
console.log('sum of min', sum.toFixed(2));
console.log(
  rows
    .slice(0, 40)
    .map(([k, v]) => `${v.toFixed(3)} ${k}`)
    .join('\n'),
);
