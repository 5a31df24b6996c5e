// Implicit reparameterization gradients of mixture samples through the distributional transform
// (Graves 2016; Figurnov et al. 2018), as TFP's MixtureSameFamily(reparameterize=True) does:
// T_i(x) = sum_k w_k(x_<i) F_k(x_i), with w_k(x_<i) the posterior weight of component k given
// the earlier coordinates, maps a draw x to independent uniforms. Holding T fixed while the
// parameters phi move gives dx/dphi = -(dT/dx)^-1 dT/dphi; dT/dx is lower triangular.
import * as tf from '@tensorflow/tfjs-core';
import { stopGradient, triangularSolve } from '@vae/divergence';
import { Distribution } from '../distribution.js';

/** The univariate family under a mixture's components and the event axes it spans. */
export interface UnivariateParts {
  /** Components with event shape `[]` and batch `[...batch, K, ...event]`. */
  readonly univariate: Distribution;
  /** Log mixture weights `[...batch, K]` (normalized or not: a softmax follows). */
  readonly mixtureLogits: tf.Tensor;
  /** The mixture's event shape (the axes `univariate` holds after K). */
  readonly eventShape: readonly number[];
}

/** Whether `d` overrides the base class's `cdf` (which throws `UNSUPPORTED`). */
export function hasCdf(d: Distribution): boolean {
  return d.cdf !== Distribution.prototype.cdf;
}

/** Inserts the component axis K before the event axes: `[...s, ...batch, ...event]` -> `[..., 1, ...event]`. */
function padComponent(x: tf.Tensor, eventRank: number): tf.Tensor {
  return tf.expandDims(x, x.rank - eventRank);
}

/**
 * Posterior weights w_k(x_<i) and per-coordinate log densities and CDFs, flattened to
 * `[N, K, e]` (N = prod of sample and batch axes, e = event size).
 */
function transformParts(x: tf.Tensor, parts: UnivariateParts) {
  const eventRank = parts.eventShape.length;
  const e = parts.eventShape.reduce((a, b) => a * b, 1);
  const padded = padComponent(x, eventRank);
  const logDensity = parts.univariate.logProb(padded); // [...s, ...batch, K, ...event]
  const k = logDensity.shape[logDensity.rank - 1 - eventRank]!;
  const flat = (t: tf.Tensor) => tf.reshape(t, [-1, k, e]);
  const logp = flat(logDensity);
  const cdf = flat(parts.univariate.cdf(padded));
  const n = logp.shape[0]!;
  // Mixture logits [...batch, K] broadcast against [...s, ...batch, K] (sample axes lead).
  const logits = tf.broadcastTo(
    parts.mixtureLogits,
    logDensity.shape.slice(0, logDensity.rank - eventRank),
  );
  const logWeights = tf.add(tf.reshape(logits, [n, k, 1]), tf.cumsum(logp, 2, true));
  const weights = tf.softmax(tf.transpose(logWeights, [0, 2, 1])); // [N, e, K]
  return { weights: tf.transpose(weights, [0, 2, 1]), logp, cdf, n, k, e, padded };
}

/**
 * d log p_k(x_j) / d x_j for every component and coordinate, `[N, K, e]`, by autodiff of the
 * univariate log density (elementwise in x, so one gradient gives every entry).
 */
function scores(parts: UnivariateParts, padded: tf.Tensor, shape: number[]): tf.Tensor {
  const eventRank = parts.eventShape.length;
  const full = padded.shape.slice();
  full[full.length - 1 - eventRank] = shape[1]!;
  const point = stopGradient(tf.broadcastTo(padded, full));
  const gradient = tf.grad((value: tf.Tensor) => tf.sum(parts.univariate.logProb(value)))(point);
  return stopGradient(tf.reshape(gradient, shape));
}

/**
 * dT/dx `[N, e, e]` (lower triangular), without gradient: the diagonal is the conditional
 * density sum_k w_ki p_k(x_i); below it, sum_k F_k(x_i) dw_ki/dx_j with
 * dw_ki/dx_j = w_ki (s_kj - sum_l w_li s_lj) and s the scores.
 */
function jacobian(parts: UnivariateParts, t: ReturnType<typeof transformParts>): tf.Tensor {
  const { weights, logp, cdf, n, k, e, padded } = t;
  const w = stopGradient(weights);
  const diagonal = tf.sum(tf.mul(w, tf.exp(stopGradient(logp))), 1); // [N, e]
  if (e === 1) return tf.reshape(diagonal, [n, 1, 1]);
  const s = scores(parts, padded, [n, k, e]);
  const f = stopGradient(cdf);
  const wf = tf.mul(w, f); // [N, K, e] indexed by i
  // sum_k w_ki F_ki s_kj - (sum_k w_ki F_ki) (sum_l w_li s_lj), as [N, i, j] products.
  // Explicit transposes: wasm's matMul is slow with transposeA.
  const first = tf.matMul(tf.transpose(wf, [0, 2, 1]), s); // [N, e_i, e_j]
  const mean = tf.matMul(tf.transpose(w, [0, 2, 1]), s); // [N, e_i, e_j]: sum_l w_li s_lj
  const second = tf.mul(tf.expandDims(tf.sum(wf, 1), 2), mean);
  const strictlyLower = tf.sub(tf.linalg.bandPart(tf.ones([e, e]), -1, 0), tf.eye(e));
  const below = tf.mul(tf.sub(first, second), strictlyLower);
  return tf.add(below, tf.mul(tf.expandDims(diagonal, 1), tf.eye(e)));
}

/**
 * `x` `[...s, ...batch, ...event]` with the same values and implicit reparameterization
 * gradients to the parameters of the components and the mixture weights: x + (z - sg(z)) with
 * z = -sg(dT/dx)^-1 T(sg(x)). Call while a gradient tape records; inside `tf.tidy`.
 */
export function reparameterizeMixtureSample(x: tf.Tensor, parts: UnivariateParts): tf.Tensor {
  const fixed = stopGradient(x);
  const t = transformParts(fixed, parts);
  const transform = tf.sum(tf.mul(t.weights, t.cdf), 1); // [N, e]
  const slope = jacobian(parts, t);
  const rhs = tf.expandDims(transform, 2); // [N, e, 1]
  const solved = t.e === 1 ? tf.div(rhs, slope) : triangularSolve(slope, rhs);
  const surrogate = tf.reshape(tf.neg(solved), x.shape);
  return tf.add(fixed, tf.sub(surrogate, stopGradient(surrogate)));
}
