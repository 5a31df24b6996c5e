// Quick probe (not a test): MLP VAE 784-400-20 training step on a backend, hand-rolled loss.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import './register-gradients.js';
import * as tf from '@tensorflow/tfjs-core';
import { Linear, relu, Sequential } from '../src/index.js';

const backend = process.argv[2] ?? 'wasm';
await tf.setBackend(backend);
await tf.ready();
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
const step = () => {
  const c = opt.minimize(loss, true, vars)!;
  const v = c.dataSync()[0];
  c.dispose();
  return v;
};
for (let i = 0; i < 5; i++) step();
const n = Number(process.argv[3] ?? 40);
const t0 = performance.now();
const c0 = process.cpuUsage();
let last = 0;
const times: number[] = [];
for (let i = 0; i < n; i++) {
  const s = performance.now();
  last = step()!;
  times.push(performance.now() - s);
}
const ms = (performance.now() - t0) / n;
const cpu = process.cpuUsage(c0);
const cpuMs = (cpu.user + cpu.system) / 1000 / n;
times.sort((a, b) => a - b);
const min = times[0]!,
  med = times[Math.floor(n / 2)]!;
console.log(
  `${backend}: wall ${ms.toFixed(2)} ms/step (min ${min.toFixed(2)}, median ${med.toFixed(2)}), cpu ${cpuMs.toFixed(2)} ms/step; samples/s: min-based ${((B / min) * 1000).toFixed(0)}, median ${((B / med) * 1000).toFixed(0)}, cpu ${((B / cpuMs) * 1000).toFixed(0)}; loss ${last.toFixed(2)}, tensors ${tf.memory().numTensors}`,
);
if (process.argv[4] === 'profile') {
  const prof = await tf.profile(() => {
    const c = opt.minimize(loss, true, vars)!;
    return c;
  });
  const by = new Map<string, number>();
  for (const k of prof.kernels) by.set(k.name, (by.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  console.log(
    [...by]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join('\n'),
  );
  console.log('kernels', prof.kernels.length);
}
