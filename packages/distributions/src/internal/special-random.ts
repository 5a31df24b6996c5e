// Random variates tfjs-core lacks for tensor-valued parameters: standard Gamma (Marsaglia-Tsang)
// and Poisson (inversion for small rates, Hormann's PTRS for large ones). They run on the host in
// float64, like tfjs's own random ops (which fill a host buffer and upload it): the parameters are
// read back once (small: [...batch, ...event]) and each variate costs about two uniforms, where a
// vectorized rejection sampler on tensors would need ~16 host-drawn numbers per variate.
import * as tf from '@tensorflow/tfjs-core';
import { seededUniform, tfSeed } from '@vae/divergence';

/** Rates below this use inversion; at or above, PTRS. */
const POISSON_SWITCH = 10;
const TINY = 1.1754943508222875e-38; // smallest normal float32

/** A seed for stream `stream` of a draw seeded with `seed` (undefined stays undefined: random). */
export function subSeed(seed: number | undefined, stream: number): number | undefined {
  return tfSeed(seed, stream);
}

/** A uniform [0, 1) generator seeded from `seed`, or randomly when undefined. */
export function hostUniform(seed: number | undefined): () => number {
  return seededUniform(seed ?? Math.random() * 2 ** 32, 30);
}

const LOG_FACTORIALS: number[] = [0];
for (let k = 1; k < 256; k++) LOG_FACTORIALS.push(LOG_FACTORIALS[k - 1]! + Math.log(k));

/** log(k!) in float64: a table below 256, Stirling's series (error < 1e-15) above. */
function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIALS[k]!;
  const z = k + 1;
  return (
    (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * z) - 1 / (360 * z ** 3)
  );
}

/** Inversion by sequential search, for rates below POISSON_SWITCH. */
function poissonBySearch(rate: number, uniform: () => number): number {
  const u = uniform();
  let k = 0;
  let p = Math.exp(-rate);
  let cdf = p;
  while (u > cdf && k < 1000) {
    k++;
    p *= rate / k;
    cdf += p;
  }
  return k;
}

/** Hormann's transformed rejection with squeeze (PTRS, 1993), for rates >= POISSON_SWITCH. */
function poissonByPtrs(rate: number, uniform: () => number): number {
  const logRate = Math.log(rate);
  const b = 0.931 + 2.53 * Math.sqrt(rate);
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = uniform() - 0.5;
    const v = uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + rate + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b);
    if (lhs <= -rate + k * logRate - logFactorial(k)) return k;
  }
}

/**
 * Poisson(rate) variates of shape `[...sampleShape, ...rate.shape]` as float32 counts: inversion
 * for rates below 10, PTRS above. `rate` must be finite and >= 0.
 */
export function poissonVariates(
  rate: tf.Tensor,
  sampleShape: readonly number[],
  seed: number | undefined,
): tf.Tensor {
  const rates = rate.dataSync();
  const uniform = hostUniform(seed);
  const replicas = sampleShape.reduce((product, size) => product * size, 1);
  const out = new Float32Array(replicas * rates.length);
  for (let i = 0; i < out.length; i++) {
    const r = rates[i % rates.length]!;
    out[i] =
      r <= 0 ? 0 : r < POISSON_SWITCH ? poissonBySearch(r, uniform) : poissonByPtrs(r, uniform);
  }
  return tf.tensor(out, [...sampleShape, ...rate.shape], 'float32');
}

/** A standard normal generator (Box-Muller on `uniform`, both values used). */
export function hostNormal(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * log of one Gamma(alpha, 1) variate: Marsaglia and Tsang (2000), boosted by U^(1/alpha) for
 * alpha < 1. In log space it never underflows (Gamma(0.01) draws below 1e-300 are common).
 */
export function logGammaOne(alpha: number, uniform: () => number, normal: () => number): number {
  const boost = alpha < 1;
  const d = (boost ? alpha + 1 : alpha) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  let v: number;
  for (;;) {
    let x: number;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform();
    if (u < 1 - 0.0331 * x ** 4) break;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) break;
  }
  return Math.log(d * v) + (boost ? Math.log(1 - uniform()) / alpha : 0);
}

/** One Gamma(alpha, 1) variate, clamped below at the smallest normal float32. */
function gammaOne(alpha: number, uniform: () => number, normal: () => number): number {
  return Math.max(Math.exp(logGammaOne(alpha, uniform, normal)), TINY);
}

/**
 * Standard Gamma(alpha, 1) variates of shape `[...sampleShape, ...alpha.shape]` (float32, clamped
 * below at the smallest normal float32, like torch). `alpha` must be positive.
 */
export function standardGamma(
  alpha: tf.Tensor,
  sampleShape: readonly number[],
  seed: number | undefined,
): tf.Tensor {
  const alphas = alpha.dataSync();
  const uniform = hostUniform(seed);
  const normal = hostNormal(uniform);
  const replicas = sampleShape.reduce((product, size) => product * size, 1);
  const out = new Float32Array(replicas * alphas.length);
  for (let i = 0; i < out.length; i++)
    out[i] = gammaOne(alphas[i % alphas.length]!, uniform, normal);
  return tf.tensor(out, [...sampleShape, ...alpha.shape], 'float32');
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** log Gamma(x) in float64 for x > 0 (Lanczos, g = 7; relative error ~1e-15). */
export function logGammaHost(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGammaHost(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The regularized lower incomplete gamma P(a, x) in float64 (series below a + 1, else Lentz). */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const logPrefix = a * Math.log(x) - x - logGammaHost(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return Math.min(1, sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.max(0, 1 - Math.exp(logPrefix) * h);
}

/**
 * dx/dalpha of a Gamma(alpha, 1) variate x at fixed CDF value (implicit reparameterization,
 * Figurnov et al. 2018): -(dP/dalpha)(alpha, x) / density(x), with dP/dalpha by central
 * differences of P in float64.
 */
export function gammaSampleGradient(alpha: number, x: number): number {
  const step = 1e-5 * Math.max(alpha, 1e-3);
  const dP = (regularizedGammaP(alpha + step, x) - regularizedGammaP(alpha - step, x)) / (2 * step);
  const logDensity = (alpha - 1) * Math.log(x) - x - logGammaHost(alpha);
  const gradient = -dP / Math.exp(logDensity);
  return Number.isFinite(gradient) ? gradient : 0;
}

/**
 * Reparameterized standard Gamma variates `[...sampleShape, ...alpha.shape]`: the values of
 * {@link standardGamma}, with gradients to `alpha` by implicit reparameterization (computed on the
 * host while sampling, kept as plain numbers so no tensor outlives the forward pass).
 */
export function standardGammaReparameterized(
  alpha: tf.Tensor,
  sampleShape: readonly number[],
  seed: number | undefined,
): tf.Tensor {
  const op = tf.customGrad((input) => {
    const a = input as tf.Tensor;
    const draws = standardGamma(a, sampleShape, seed);
    const alphas = a.dataSync();
    const xs = draws.dataSync();
    const slopes = new Float32Array(xs.length);
    for (let i = 0; i < xs.length; i++) {
      slopes[i] = gammaSampleGradient(alphas[i % alphas.length]!, xs[i]!);
    }
    const shape = draws.shape;
    const sampleAxes = sampleShape.map((_, axis) => axis);
    return {
      value: draws,
      gradFunc: (dy: tf.Tensor) => {
        const product = tf.mul(dy, tf.tensor(slopes, shape, 'float32'));
        return sampleAxes.length > 0 ? tf.sum(product, sampleAxes) : product;
      },
    };
  }) as (alpha: tf.Tensor) => tf.Tensor;
  return op(alpha);
}
