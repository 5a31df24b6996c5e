// Numerically careful building blocks on tfjs-core ops (all differentiable; call inside tf.tidy).
import * as tf from '@tensorflow/tfjs-core';

/** float32 machine epsilon: probabilities are clamped to [EPS, 1 - EPS] before taking logits. */
export const EPS = 1.1920928955078125e-7;
export const LOG_2PI = Math.log(2 * Math.PI);
export const EULER_GAMMA = 0.5772156649015329;

const SOFTPLUS_LINEAR = 20;

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
    tf.log1p(tf.exp(safe)),
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
  return tf.sub(tf.log(clamped), tf.log1p(tf.neg(clamped)));
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
function erfinvWithLog(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
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

/**
 * The standard normal quantile sqrt(2) erfinv(2p - 1), with the tail term computed from p as
 * -log(4 p (1 - p)), so small p keep their float32 precision (2p - 1 alone would lose it).
 */
export function ndtri(p: tf.Tensor): tf.Tensor {
  const w = tf.neg(tf.log(tf.mul(tf.mul(p, tf.sub(1, p)), 4)));
  return tf.mul(erfinvWithLog(tf.sub(tf.mul(p, 2), 1), w), Math.SQRT2);
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
