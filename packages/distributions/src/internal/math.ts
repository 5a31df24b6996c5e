// Numerically careful building blocks on tfjs-core ops (all differentiable; call inside tf.tidy).
import * as tf from '@tensorflow/tfjs-core';
import { log1p } from '@vae/divergence';

/** float32 machine epsilon: probabilities are clamped to [EPS, 1 - EPS] before taking logits. */
export const EPS = 1.1920928955078125e-7;
export const LOG_2PI = Math.log(2 * Math.PI);
export const EULER_GAMMA = 0.5772156649015329;

const SOFTPLUS_LINEAR = 20;
/** The smallest positive float32 (denormal). */
const TINY_POSITIVE = 1.401298464324817e-45;

/**
 * Runs `compute` (typically a comparison building a mask for `tf.where`) without recording it
 * on the gradient tape. tfjs registers no gradients for comparisons and logical ops, so a mask
 * computed from a parameter inside `tf.grad` would otherwise fail with "gradient function not
 * found for Greater". The result carries no gradient.
 */
export function untaped<T extends tf.Tensor>(compute: () => T): T {
  return tf.customGrad(() => ({ value: compute(), gradFunc: () => [] }))() as T;
}

/**
 * log(1 + e^x) without overflow. The branch that is not taken gets a clamped input, so its
 * gradient is finite (0 * Infinity would give NaN), and the gradient at 0 is exactly 1/2.
 */
export function softplus(x: tf.Tensor): tf.Tensor {
  const safe = tf.minimum(x, SOFTPLUS_LINEAR);
  return tf.where(
    untaped(() => tf.greater(x, SOFTPLUS_LINEAR)),
    x,
    log1p(tf.exp(safe)),
  );
}

/** log sigmoid(x) = -softplus(-x), accurate for large |x|. */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.neg(softplus(tf.neg(x)));
}

/** Clamps probabilities to [EPS, 1 - EPS] (torch's `clamp_probs`). */
export function clampProbs(probs: tf.Tensor): tf.Tensor {
  return tf.clipByValue(probs, EPS, 1 - EPS);
}

/** log(p) - log(1 - p) of probabilities clamped to [EPS, 1 - EPS] (torch's `probs_to_logits`). */
export function probsToLogits(probs: tf.Tensor): tf.Tensor {
  const clamped = clampProbs(probs);
  return tf.sub(tf.log(clamped), log1p(tf.neg(clamped)));
}

/** x * log(y) with 0 * log(0) = 0 (the gradient to y is finite where x = 0). */
export function xlogy(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const zero = untaped(() => tf.equal(x, 0));
  const safeY = tf.where(zero, tf.onesLike(y), y);
  return tf.where(zero, tf.zerosLike(tf.add(x, y)), tf.mul(x, tf.log(safeY)));
}

function polynomial(w: tf.Tensor, coefficients: readonly number[]): tf.Tensor {
  let p: tf.Tensor = tf.fill(w.shape, coefficients[0]!);
  for (const c of coefficients.slice(1)) p = tf.add(tf.mul(p, w), c);
  return p;
}

const ERFINV_CENTRAL = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 2.1858087e-4, -1.25372503e-3,
  -4.17768164e-3, 2.46640727e-1, 1.50140941,
];
const ERFINV_TAIL = [
  -2.00214257e-4, 1.00950558e-4, 1.34934322e-3, -3.67342844e-3, 5.73950773e-3, -7.6224613e-3,
  9.43887047e-3, 1.00167406, 2.83297682,
];

/** erfinv(x) given x and w = -log((1 - x)(1 + x)) (Giles 2010, single precision). */
export function erfinvWithLog(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const central = polynomial(tf.sub(tf.minimum(w, 5), 2.5), ERFINV_CENTRAL);
  const tail = polynomial(tf.sub(tf.sqrt(tf.maximum(w, 5)), 3), ERFINV_TAIL);
  const result = tf.mul(
    tf.where(
      untaped(() => tf.less(w, 5)),
      central,
      tail,
    ),
    x,
  );
  return tf.where(
    untaped(() => tf.equal(tf.abs(x), 1)),
    tf.mul(x, Number.POSITIVE_INFINITY),
    result,
  );
}

/**
 * Inverse error function on (-1, 1) (Giles 2010, single precision), ±Infinity at ±1.
 * Differentiable through its ops.
 */
export function erfinv(x: tf.Tensor): tf.Tensor {
  return erfinvWithLog(x, tf.neg(tf.log(tf.mul(tf.sub(1, x), tf.add(1, x)))));
}

// Wichura's AS 241 (PPND7) for min(p, 1 - p) < 0.075: r = sqrt(-log(min(p, 1 - p))) and a
// rational function of r on either side of r = 5; relative error below 1.2e-7 down to
// p = 1e-300, so every float32 p keeps its quantile (Giles' erfinv above loses it for p < 1e-8).
const TAIL_SPLIT = 0.075;
const TAIL_NEAR = {
  num: [0.17023821103, 1.3067284816, 2.75681539, 1.4234372777],
  den: [0.12021132975, 0.7370016425, 1],
};
const TAIL_FAR = {
  num: [0.017337203997, 0.42868294337, 3.081226386, 6.657905115],
  den: [0.012258202635, 0.24197894225, 1],
};

function rational(r: tf.Tensor, coefficients: { num: number[]; den: number[] }): tf.Tensor {
  return tf.div(polynomial(r, coefficients.num), polynomial(r, coefficients.den));
}

/** |quantile| for the tail probability `lower` = min(p, 1 - p) in (0, TAIL_SPLIT). */
function ndtriTail(lower: tf.Tensor): tf.Tensor {
  const r = tf.sqrt(tf.neg(tf.log(lower)));
  const near = rational(tf.sub(tf.minimum(r, 5), 1.6), TAIL_NEAR);
  const far = rational(tf.sub(tf.maximum(r, 5), 5), TAIL_FAR);
  return tf.where(
    untaped(() => tf.lessEqual(r, 5)),
    near,
    far,
  );
}

/**
 * The standard normal quantile: sqrt(2) erfinv(2p - 1) (Giles) in the centre, Wichura's
 * AS 241 tails where min(p, 1 - p) < 0.075, so p down to the smallest float32 keeps its
 * precision (ndtri(1e-30) = -11.46, not -Infinity); -Infinity at 0 and +Infinity at 1.
 */
export function ndtri(p: tf.Tensor): tf.Tensor {
  const lower = tf.minimum(p, tf.sub(1, p));
  const inTail = untaped(() => tf.less(lower, TAIL_SPLIT));
  const central = tf.where(inTail, tf.fill(p.shape, 0.5), p);
  const w = tf.neg(tf.log(tf.mul(tf.mul(central, tf.sub(1, central)), 4)));
  const centre = tf.mul(erfinvWithLog(tf.sub(tf.mul(central, 2), 1), w), Math.SQRT2);
  const magnitude = ndtriTail(
    tf.where(inTail, tf.maximum(lower, TINY_POSITIVE), tf.fill(p.shape, 0.5)),
  );
  const tail = tf.where(
    untaped(() => tf.less(p, 0.5)),
    tf.neg(magnitude),
    magnitude,
  );
  const value = tf.where(inTail, tail, centre);
  return tf.where(
    untaped(() => tf.equal(lower, 0)),
    tf.mul(tf.sign(tf.sub(p, 0.5)), Number.POSITIVE_INFINITY),
    value,
  );
}

/** Sums the last `count` axes (no-op for 0). */
export function sumRightmost(x: tf.Tensor, count: number): tf.Tensor {
  if (count === 0) return x;
  const axes = Array.from({ length: count }, (_, i) => x.rank - count + i);
  return tf.sum(x, axes);
}

/** Uniform draws in the open interval (EPS, 1 - EPS), so logs of them stay finite. */
export function openUniform(shape: number[], seed: number | undefined): tf.Tensor {
  return tf.randomUniform(shape, EPS, 1 - EPS, 'float32', seed);
}

/** The smallest positive normal float32 (clamps that keep logs finite, as torch's `finfo.tiny`). */
export const TINY = 1.1754943508222875e-38;
