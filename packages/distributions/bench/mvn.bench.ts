// Benchmark of the full-covariance Gaussian at d = 2700 (a 30 x 30 x 3 image) on the cpu and
// wasm backends: Cholesky, logProb of 256 images, sampling 256 images and fitting 10,000
// images; plus a float64 check of the factor and of logProb at full size.
//
//   pnpm --filter @vae/distributions bench [-- --d 2700 --fit 10000 --backends cpu,wasm]
//
// Writes bench/results.json and prints a table.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { cholesky, seededUniform } from '@vae/divergence';
import { MultivariateNormal } from '../src/index.js';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

const d = Number(argument('d', '2700'));
const fitRowsFast = Number(argument('fit', '10000'));
// tfjs-backend-cpu multiplies at ~0.2 GFLOP/s here: fit fewer rows there and time single runs.
const fitRowsCpu = Number(argument('fit-cpu', '1000'));
const fitRows = Math.max(fitRowsFast, fitRowsCpu);
const backends = argument('backends', 'cpu,wasm').split(',');
const repeats = Number(argument('repeats', '3'));
tf.env().set('IS_TEST', true); // silences the tfjs-node banner only

/** Median wall time in ms of `repeats` runs of `fn` (after one warm-up run). */
function time(fn: () => void, runs = tf.getBackend() === 'cpu' ? 1 : repeats): number {
  if (runs > 1) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** A seeded SPD covariance (B B^T / d + 0.5 I, B uniform in [-1, 1]) in float64. */
function covariance64(): Float64Array {
  const random = seededUniform(12345);
  const b = new Float64Array(d * d).map(() => random() * 2 - 1);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += b[i * d + k]! * b[j * d + k]!;
      a[i * d + j] = a[j * d + i] = sum / d + (i === j ? 0.5 : 0);
    }
  }
  return a;
}

function cholesky64(a: Float64Array): Float64Array {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let pivot = a[j * d + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * d + k]! ** 2;
    l[j * d + j] = Math.sqrt(pivot);
    for (let i = j + 1; i < d; i++) {
      let sum = a[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = sum / l[j * d + j]!;
    }
  }
  return l;
}

function logProb64(l: Float64Array, x: Float32Array): number {
  const z = Array.from(x);
  let logDiag = 0;
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < i; k++) z[i]! -= l[i * d + k]! * z[k]!;
    z[i]! /= l[i * d + i]!;
    logDiag += Math.log(l[i * d + i]!);
  }
  return -0.5 * z.reduce((s, v) => s + v * v, 0) - logDiag - 0.5 * d * Math.log(2 * Math.PI);
}

await tf.setBackend('cpu');
await tf.ready();
console.log(`d = ${d}: building the float64 reference (plain JS, a few seconds)...`);
const a64 = covariance64();
const l64 = cholesky64(a64);
const points = tf.tidy(() => tf.randomNormal([256, d], 0, 1, 'float32', 3));
const pointData = points.dataSync() as Float32Array;
const reference = [0, 1, 2, 3].map((r) => logProb64(l64, pointData.subarray(r * d, (r + 1) * d)));
const fitData = new Float32Array(fitRows * d);
{
  const chunk = 1000;
  for (let start = 0; start < fitRows; start += chunk) {
    const rows = Math.min(chunk, fitRows - start);
    const values = tf.tidy(() => tf.randomUniform([rows, d], 0, 1, 'float32', start));
    fitData.set(values.dataSync(), start * d);
    values.dispose();
  }
}

interface Row {
  backend: string;
  d: number;
  choleskyMs: number;
  logProb256Ms: number;
  sample256Ms: number;
  fitMs: number;
  fitRows: number;
  factorMaxRelativeError: number;
  logProbMaxRelativeError: number;
}
const rows: Row[] = [];
for (const backend of backends) {
  await tf.setBackend(backend);
  await tf.ready();
  const covariance = tf.tensor2d(Float32Array.from(a64), [d, d]);
  const choleskyMs = time(() => tf.dispose(cholesky(covariance)));
  const mvn = new MultivariateNormal({ loc: tf.zeros([d]), covarianceMatrix: covariance });
  const factor = mvn.scaleTril.dataSync();
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < d * d; i++) {
    worst = Math.max(worst, Math.abs(factor[i]! - l64[i]!));
    scale = Math.max(scale, Math.abs(l64[i]!));
  }
  const logProb = mvn.logProb(points);
  const values = logProb.dataSync();
  const logProbError = Math.max(...reference.map((r, i) => Math.abs(values[i]! - r) / Math.abs(r)));
  logProb.dispose();
  const logProb256Ms = time(() => tf.dispose(mvn.logProb(points)));
  const sample256Ms = time(() => tf.dispose(mvn.sample([256], 1)));
  const rowsHere = backend === 'cpu' ? fitRowsCpu : fitRowsFast;
  const fitMs = time(
    () =>
      MultivariateNormal.fit(
        { images: fitData.subarray(0, rowsHere * d), size: rowsHere },
        { shrinkage: 0.05 },
      ).dispose(),
    1,
  );
  mvn.dispose();
  covariance.dispose();
  rows.push({
    backend,
    d,
    choleskyMs,
    logProb256Ms,
    sample256Ms,
    fitMs,
    fitRows: rowsHere,
    factorMaxRelativeError: worst / scale,
    logProbMaxRelativeError: logProbError,
  });
  console.log(`${backend}: done`, rows[rows.length - 1]);
}
points.dispose();

const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  tfjs: tf.version_core,
  rows,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
const format = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
console.log(
  '\n| backend | d | cholesky | logProb (256) | sample (256) | fit (rows) | factor rel. err | logProb rel. err |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.backend} | ${r.d} | ${format(r.choleskyMs)} | ${format(r.logProb256Ms)} | ${format(r.sample256Ms)} | ${format(r.fitMs)} (${r.fitRows}) | ${r.factorMaxRelativeError.toExponential(1)} | ${r.logProbMaxRelativeError.toExponential(1)} |`,
  );
}
