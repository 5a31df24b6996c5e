// Count variates tfjs-core lacks: Binomial (inversion for small means, Hormann's BTRS above) and
// Multinomial (a chain of conditional Binomials). Like the Gamma and Poisson samplers in
// special-random.ts they run on the host in float64 from the parameters read back once.
import * as tf from '@tensorflow/tfjs-core';
import { hostUniform, logGammaHost } from './special-random.js';

/** Means n min(p, 1 - p) below this use inversion; at or above, BTRS. */
const BINOMIAL_SWITCH = 10;

/** Inversion by sequential search (BINV), for n p < BINOMIAL_SWITCH and p <= 1/2. */
function binomialByInversion(n: number, p: number, uniform: () => number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  let r = Math.exp(n * Math.log1p(-p));
  let u = uniform();
  let k = 0;
  while (u > r && k < n) {
    u -= r;
    k++;
    r *= a / k - s;
  }
  return k;
}

function logFactorial(k: number): number {
  return logGammaHost(k + 1);
}

/** Hormann's transformed rejection with squeeze (BTRS, 1993), for n p >= 10 and p <= 1/2. */
function binomialByBtrs(n: number, p: number, uniform: () => number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const logOdds = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = logFactorial(m) + logFactorial(n - m);
  for (;;) {
    const u = uniform() - 0.5;
    const v = uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    const lhs = Math.log((v * alpha) / (a / (us * us) + b));
    if (lhs <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * logOdds) return k;
  }
}

/** One Binomial(n, p) variate (n a non-negative integer, p in [0, 1]). */
export function binomialOne(n: number, p: number, uniform: () => number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomialOne(n, 1 - p, uniform);
  return n * p < BINOMIAL_SWITCH
    ? binomialByInversion(n, p, uniform)
    : binomialByBtrs(n, p, uniform);
}

/**
 * Binomial variates `[...sampleShape, ...shape]` (float32 counts) for `totalCount` and `probs`
 * of one shape.
 */
export function binomialVariates(
  parameters: { totalCount: tf.Tensor; probs: tf.Tensor },
  sampleShape: readonly number[],
  seed: number | undefined,
): tf.Tensor {
  const counts = parameters.totalCount.dataSync();
  const probs = parameters.probs.dataSync();
  const uniform = hostUniform(seed);
  const replicas = sampleShape.reduce((product, size) => product * size, 1);
  const out = new Float32Array(replicas * probs.length);
  for (let i = 0; i < out.length; i++) {
    const j = i % probs.length;
    out[i] = binomialOne(counts[j]!, probs[j]!, uniform);
  }
  return tf.tensor(out, [...sampleShape, ...parameters.probs.shape], 'float32');
}

/**
 * Multinomial count vectors `[...sampleShape, ...batch, K]` for `totalCount` trials and
 * normalized `probs` `[...batch, K]`: category k gets Binomial(remaining, p_k / (mass left)).
 */
export function multinomialVariates(
  totalCount: number,
  probs: tf.Tensor,
  options: { sampleShape: readonly number[]; seed: number | undefined },
): tf.Tensor {
  const k = probs.shape[probs.rank - 1]!;
  const p = Float64Array.from(probs.dataSync());
  const rows = p.length / k;
  const uniform = hostUniform(options.seed);
  const replicas = options.sampleShape.reduce((product, size) => product * size, 1);
  const out = new Float32Array(replicas * p.length);
  for (let r = 0; r < replicas * rows; r++) {
    const offset = (r % rows) * k;
    let remaining = totalCount;
    let mass = 1;
    for (let j = 0; j < k - 1 && remaining > 0; j++) {
      const pj = p[offset + j]!;
      const draw =
        mass > 0 ? binomialOne(remaining, Math.min(1, Math.max(0, pj / mass)), uniform) : 0;
      out[r * k + j] = draw;
      remaining -= draw;
      mass -= pj;
    }
    out[r * k + k - 1] = remaining;
  }
  return tf.tensor(out, [...options.sampleShape, ...probs.shape], 'float32');
}
