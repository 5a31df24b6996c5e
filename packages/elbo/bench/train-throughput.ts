// Training throughput of the classic MLP VAE (784-400-20, Bernoulli decoder,
// batch 128, Adam 1e-3) on a tfjs backend in Node. A measurement script, not a test.
//   pnpm --filter @vae/elbo bench [wasm|cpu] [steps] [--profile] [--baseline]
// --baseline trains the same network written with plain tfjs-core ops and tfjs's
// own gradients, for comparison. Machine load inflates wall time, so the script
// reports the median and best step and the process CPU time per step.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { klStandardNormal } from '@vae/divergence';
import { mlpVAE } from '@vae/nn';
import { ensureGradients } from '@vae/trainer';
import { negativeElboLoss } from '../src/index.js';

const args = process.argv.slice(2);
const backend = args.find((a) => a === 'wasm' || a === 'cpu') ?? 'wasm';
const steps = Number(args.find((a) => /^\d+$/.test(a)) ?? 50);
const batch = 128;
await ensureGradients(); // tfjs-core registers no gradients by itself
await tf.setBackend(backend);
await tf.ready();

const model = mlpVAE({
  inputShape: [784],
  hidden: [400],
  latentDim: 20,
  likelihood: 'bernoulli',
  seed: 1,
});
const data = tf.tidy(() =>
  tf.cast(tf.greater(tf.randomUniform([8 * batch, 784], 0, 1, 'float32', 1), 0.7), 'float32'),
);
const batches = tf.split(data, 8, 0);
const optimizer = tf.train.adam(1e-3);

function baselineLoss(x: tf.Tensor): tf.Scalar {
  // The same network with tf.matMul and tfjs's built-in gradients.
  const [w1, b1, wm, bm, wv, bv] = model.encoder.parameters();
  const [d1, c1, d2, c2] = model.decoder.parameters();
  const h = tf.relu(tf.add(tf.matMul(x, w1 as tf.Tensor2D), b1!));
  const loc = tf.add(tf.matMul(h, wm as tf.Tensor2D), bm!);
  const logVariance = tf.add(tf.matMul(h, wv as tf.Tensor2D), bv!);
  const z = tf.add(loc, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), tf.randomNormal(loc.shape)));
  const g = tf.relu(tf.add(tf.matMul(z, d1 as tf.Tensor2D), c1!));
  const logits = tf.add(tf.matMul(g, d2 as tf.Tensor2D), c2!);
  const reconstruction = tf.sum(tf.sub(tf.mul(x, logits), tf.softplus(logits)), -1);
  const kl = klStandardNormal(loc, logVariance, { validateArgs: false });
  return tf.mean(tf.sub(kl, reconstruction)) as tf.Scalar;
}

const loss = args.includes('--baseline')
  ? baselineLoss
  : (x: tf.Tensor) => negativeElboLoss(model, x);
let i = 0;
const step = () => {
  const x = batches[i++ % batches.length]!;
  const cost = optimizer.minimize(() => loss(x), true, model.trainableVariables)!;
  const value = cost.dataSync()[0]!;
  cost.dispose();
  return value;
};

for (let w = 0; w < 5; w++) step();
const tensorsBefore = tf.memory().numTensors;
const times: number[] = [];
const cpu0 = process.cpuUsage();
let last = 0;
for (let s = 0; s < steps; s++) {
  const t0 = performance.now();
  last = step();
  times.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000 / steps;
times.sort((a, b) => a - b);
const best = times[0]!;
const median = times[Math.floor(steps / 2)]!;
const rate = (ms: number) => Math.round((batch / ms) * 1000);
console.log(
  `${backend}${args.includes('--baseline') ? ' (baseline: tfjs gradients)' : ''}: ${steps} steps, ` +
    `median ${median.toFixed(1)} ms (${rate(median)} samples/s), best ${best.toFixed(1)} ms (${rate(best)} samples/s), ` +
    `cpu ${cpuMs.toFixed(1)} ms/step (${rate(cpuMs)} samples/s); loss ${last.toFixed(2)}; ` +
    `tensors leaked per step ${(tf.memory().numTensors - tensorsBefore) / steps}`,
);

if (args.includes('--profile')) {
  const runs = new Map<string, number[]>();
  for (let r = 0; r < 5; r++) {
    const profile = await tf.profile(() => {
      step();
    });
    const byKernel = new Map<string, number>();
    for (const k of profile.kernels) {
      const key = `${k.name} [${k.inputShapes.map((s) => s?.join('x')).join(', ')}]`;
      byKernel.set(key, (byKernel.get(key) ?? 0) + (k.kernelTimeMs as number));
    }
    for (const [k, v] of byKernel) runs.set(k, [...(runs.get(k) ?? []), v]);
  }
  const rows = [...runs].map(([k, v]) => [k, Math.min(...v)] as const).sort((a, b) => b[1] - a[1]);
  console.log('kernel time per step (best of 5 runs, ms); scopes nest, so totals overlap:');
  for (const [k, v] of rows.slice(0, 25)) console.log(`  ${v.toFixed(3)}  ${k}`);
}
