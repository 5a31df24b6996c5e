// Beta variates X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b), computed in log space on the host in
// float64: B = sigmoid(log X - log Y). Dividing float32 Gamma draws underflows (Beta(0.1, 0.1):
// X + Y < 3.7e-23 in 2 of 100,000 draws gave an infinite gradient, and Beta(0.01, 0.01) draws
// both clamped at 1e-38 a fifth of the time). The gradients are implicit reparameterization in
// log space, dB/da = B (1 - B) d(log X)/da, with d(log X)/da from the Gamma cdf series (finite
// for any log X) and from its continued fraction where X is large.
import * as tf from '@tensorflow/tfjs-core';
import {
  gammaSampleGradient,
  hostNormal,
  hostUniform,
  logGammaOne,
  subSeed,
} from './special-random.js';

const TINY = 1.1754943508222875e-38; // smallest normal float32
const ONE_MINUS_EPS = 1 - 2 ** -24; // largest float32 below 1

/** psi(a) in float64 (recurrence to a >= 6, then the asymptotic series; error ~1e-15). */
export function digammaHost(a: number): number {
  let shift = 0;
  let z = a;
  while (z < 6) {
    shift -= 1 / z;
    z += 1;
  }
  const r2 = 1 / (z * z);
  const series = r2 * (1 / 12 - r2 * (1 / 120 - r2 * (1 / 252 - r2 * (1 / 240 - r2 / 132))));
  return shift + Math.log(z) - 0.5 / z - series;
}

/**
 * d(log X)/d(alpha) at a fixed Gamma(alpha, 1) cdf value, for a draw given as log X. Below
 * alpha + 1: P = e^(alpha log x - x - lgamma(alpha)) S with S = sum_n x^n / (alpha)_(n+1), so
 * d(log X)/d(alpha) = -((log x - psi(alpha)) S + dS/d(alpha)), finite even where x underflows.
 */
export function logGammaSampleGradient(alpha: number, logX: number): number {
  const x = Math.exp(logX);
  if (x >= alpha + 1) return gammaSampleGradient(alpha, x) / x;
  let term = 1 / alpha; // x^n / (alpha (alpha + 1) ... (alpha + n))
  let harmonic = 1 / alpha; // sum_{k <= n} 1 / (alpha + k)
  let sum = term;
  let derivative = -term * harmonic;
  for (let n = 1; n < 5000; n++) {
    term *= x / (alpha + n);
    harmonic += 1 / (alpha + n);
    sum += term;
    derivative -= term * harmonic;
    if (term < sum * 1e-17) break;
  }
  return -((logX - digammaHost(alpha)) * sum + derivative);
}

/** sigmoid(t) and sigmoid(t) sigmoid(-t) in float64 without overflow. */
function sigmoidAndSlope(t: number): [number, number] {
  const e = Math.exp(-Math.abs(t));
  const large = 1 / (1 + e);
  const small = e / (1 + e);
  return [t >= 0 ? large : small, large * small];
}

interface BetaDraws {
  values: Float32Array;
  slopes: { a: Float32Array; b: Float32Array } | undefined;
}

function drawOnHost(
  params: { a: Float32Array | Int32Array | Uint8Array; b: Float32Array | Int32Array | Uint8Array },
  replicas: number,
  options: { seed: number | undefined; slopes: boolean },
): BetaDraws {
  const { a, b } = params;
  const uniformX = hostUniform(subSeed(options.seed, 20));
  const uniformY = hostUniform(subSeed(options.seed, 21));
  const normalX = hostNormal(uniformX);
  const normalY = hostNormal(uniformY);
  const n = replicas * a.length;
  const values = new Float32Array(n);
  const slopes = options.slopes ? { a: new Float32Array(n), b: new Float32Array(n) } : undefined;
  for (let i = 0; i < n; i++) {
    const alpha = a[i % a.length]!;
    const beta = b[i % b.length]!;
    const logX = logGammaOne(alpha, uniformX, normalX);
    const logY = logGammaOne(beta, uniformY, normalY);
    const [value, slope] = sigmoidAndSlope(logX - logY);
    values[i] = Math.min(Math.max(value, TINY), ONE_MINUS_EPS);
    if (slopes === undefined) continue;
    slopes.a[i] = slope * logGammaSampleGradient(alpha, logX);
    slopes.b[i] = -slope * logGammaSampleGradient(beta, logY);
  }
  return { values, slopes };
}

/**
 * Beta(a, b) variates `[...sampleShape, ...a.shape]` (`a` and `b` of one shape, positive),
 * clamped into [1.2e-38, 1 - 6e-8]. While a gradient tape records, they carry implicit
 * reparameterization gradients to `a` and `b`, computed on the host as they are drawn.
 */
export function betaDraw(
  params: { a: tf.Tensor; b: tf.Tensor },
  sampleShape: readonly number[],
  seed: number | undefined,
): tf.Tensor {
  const replicas = sampleShape.reduce((product, size) => product * size, 1);
  const shape = [...sampleShape, ...params.a.shape];
  if (!tf.engine().isTapeOn()) {
    const host = { a: params.a.dataSync(), b: params.b.dataSync() };
    const { values } = drawOnHost(host, replicas, { seed, slopes: false });
    return tf.tensor(values, shape, 'float32');
  }
  const sampleAxes = sampleShape.map((_, axis) => axis);
  const reduce = (x: tf.Tensor) => (sampleAxes.length > 0 ? tf.sum(x, sampleAxes) : x);
  const op = tf.customGrad((a, b) => {
    const host = { a: (a as tf.Tensor).dataSync(), b: (b as tf.Tensor).dataSync() };
    const { values, slopes } = drawOnHost(host, replicas, { seed, slopes: true });
    return {
      value: tf.tensor(values, shape, 'float32'),
      gradFunc: (dy: tf.Tensor) => [
        reduce(tf.mul(dy, tf.tensor(slopes!.a, shape, 'float32'))),
        reduce(tf.mul(dy, tf.tensor(slopes!.b, shape, 'float32'))),
      ],
    };
  }) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  return op(params.a, params.b);
}
