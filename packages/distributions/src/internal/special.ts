// Special functions tfjs-core lacks, written on its ops: lgamma, digamma, trigamma and friends.
// Accurate to float32 over the whole positive axis: arguments below SHIFT are moved up with the
// recurrence Gamma(x + 1) = x Gamma(x), then the asymptotic (Stirling) series takes over, whose
// truncation error at z >= 6 is below 3e-9. Near the roots of lgamma (x = 1, 2) and digamma
// (x ~ 1.4616) the error is absolute, about 1e-6, from the cancellation in the recurrence.
import * as tf from '@tensorflow/tfjs-core';
import { isRecordingGradients } from './tfjs-internals.js';

const SHIFT = 6;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Where `x < SHIFT`: x (x + 1) ... (x + SHIFT - 1); elsewhere 1 (so huge x never overflows). */
function shiftProduct(x: tf.Tensor, small: tf.Tensor): tf.Tensor {
  let product = x;
  for (let i = 1; i < SHIFT; i++) product = tf.mul(product, tf.add(x, i));
  return tf.where(small, product, tf.onesLike(x));
}

/** Where `x < SHIFT`: sum over i < SHIFT of 1 / (x + i)^power; elsewhere 0. */
function shiftSum(x: tf.Tensor, small: tf.Tensor, power: 1 | 2 | 3): tf.Tensor {
  let sum = tf.zerosLike(x);
  for (let i = 0; i < SHIFT; i++) {
    const term = tf.reciprocal(tf.add(x, i));
    sum = tf.add(sum, power === 1 ? term : tf.pow(term, power));
  }
  return tf.where(small, sum, tf.zerosLike(x));
}

/**
 * Negative arguments give NaN; 0 and +Infinity map to their limits (set explicitly: WebGL's `log`
 * and division do not produce infinities).
 */
function finishDomain(
  x: tf.Tensor,
  result: tf.Tensor,
  limits: { atZero: number; atInfinity: number },
): tf.Tensor {
  const nan = tf.fill(x.shape, Number.NaN);
  const atZero = tf.fill(x.shape, limits.atZero);
  const atInfinity = tf.fill(x.shape, limits.atInfinity);
  const finite = tf.where(
    tf.equal(x, 0),
    atZero,
    tf.where(tf.equal(x, Infinity), atInfinity, result),
  );
  return tf.where(tf.less(x, 0), nan, finite);
}

function lgammaForward(x: tf.Tensor): tf.Tensor {
  const small = tf.less(x, SHIFT);
  const z = tf.where(small, tf.add(x, SHIFT), x);
  const r = tf.reciprocal(z);
  const r2 = tf.square(r);
  // 1/(12 z) - 1/(360 z^3) + 1/(1260 z^5)
  const series = tf.mul(r, tf.sub(1 / 12, tf.mul(r2, tf.sub(1 / 360, tf.div(r2, 1260)))));
  const stirling = tf.add(
    tf.sub(tf.mul(tf.sub(z, 0.5), tf.log(z)), z),
    tf.add(series, HALF_LOG_2PI),
  );
  const result = tf.sub(stirling, tf.log(shiftProduct(x, small)));
  return finishDomain(x, result, { atZero: Infinity, atInfinity: Infinity });
}

function digammaForward(x: tf.Tensor): tf.Tensor {
  const small = tf.less(x, SHIFT);
  const z = tf.where(small, tf.add(x, SHIFT), x);
  const r = tf.reciprocal(z);
  const r2 = tf.square(r);
  // log z - 1/(2z) - 1/(12 z^2) + 1/(120 z^4) - 1/(252 z^6) + 1/(240 z^8)
  const inner = tf.sub(1 / 252, tf.div(r2, 240));
  const series = tf.mul(r2, tf.sub(1 / 12, tf.mul(r2, tf.sub(1 / 120, tf.mul(r2, inner)))));
  const asymptotic = tf.sub(tf.sub(tf.log(z), tf.mul(r, 0.5)), series);
  const result = tf.sub(asymptotic, shiftSum(x, small, 1));
  return finishDomain(x, result, { atZero: -Infinity, atInfinity: Infinity });
}

function trigammaForward(x: tf.Tensor): tf.Tensor {
  const small = tf.less(x, SHIFT);
  const z = tf.where(small, tf.add(x, SHIFT), x);
  const r = tf.reciprocal(z);
  const r2 = tf.square(r);
  // 1/z + 1/(2 z^2) + 1/(6 z^3) - 1/(30 z^5) + 1/(42 z^7) - 1/(30 z^9)
  const tail = tf.mul(
    r2,
    tf.sub(1 / 6, tf.mul(r2, tf.sub(1 / 30, tf.mul(r2, tf.sub(1 / 42, tf.div(r2, 30)))))),
  );
  const asymptotic = tf.mul(r, tf.add(tf.add(1, tf.mul(r, 0.5)), tail));
  const result = tf.add(asymptotic, shiftSum(x, small, 2));
  return finishDomain(x, result, { atZero: Infinity, atInfinity: 0 });
}

function tetragammaForward(x: tf.Tensor): tf.Tensor {
  const small = tf.less(x, SHIFT);
  const z = tf.where(small, tf.add(x, SHIFT), x);
  const r = tf.reciprocal(z);
  const r2 = tf.square(r);
  // -1/z^2 - 1/z^3 - 1/(2 z^4) + 1/(6 z^6) - 1/(6 z^8) + 3/(10 z^10)
  const tail = tf.mul(
    r2,
    tf.sub(0.5, tf.mul(r2, tf.sub(1 / 6, tf.mul(r2, tf.sub(1 / 6, tf.mul(r2, 0.3)))))),
  );
  const asymptotic = tf.neg(tf.mul(r2, tf.add(tf.add(1, r), tail)));
  const result = tf.sub(asymptotic, tf.mul(shiftSum(x, small, 3), 2));
  return finishDomain(x, result, { atZero: -Infinity, atInfinity: 0 });
}

function asFloat(x: tf.Tensor): tf.Tensor {
  return x.dtype === 'float32' ? x : tf.cast(x, 'float32');
}

/**
 * `fn(x)` computed off the gradient tape: its ops are not recorded and the result passes a zero
 * gradient to `x`. tfjs registers no gradient for comparisons (Equal, Less, LogicalAnd, ...), and
 * `tf.grad` throws on any such op that lies between the parameters and the loss, even as the
 * condition of a `where`; masks and samplers built on parameters go through here.
 */
export function untracked(x: tf.Tensor, fn: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  if (!isRecordingGradients()) return fn(x);
  const shape = x.shape;
  const op = tf.customGrad((input) => ({
    value: fn(input as tf.Tensor),
    gradFunc: () => tf.zeros(shape),
  })) as (x: tf.Tensor) => tf.Tensor;
  return op(x);
}

// Gradients without tf.customGrad's `save`: in tfjs 4.22 `save` clones its tensors inside the
// kernel scope, which the wasm backend reports as a leak when IS_TEST is set. Instead, while a
// gradient tape is recording, f(x) = value(x) + derivative(x) * zero(x), where `value` and
// `derivative` pass no gradient and `zero` is 0 with gradient 1: f = value, f' = derivative.
function noGradient(forward: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  return (x) => untracked(x, forward);
}

const zeroWithUnitGradient = tf.customGrad((x) => ({
  value: tf.zerosLike(x as tf.Tensor),
  gradFunc: (dy) => tf.clone(dy),
})) as (x: tf.Tensor) => tf.Tensor;

const lgammaValue = noGradient(lgammaForward);
const digammaValue = noGradient(digammaForward);
const trigammaValue = noGradient(trigammaForward);
const tetragammaValue = noGradient(tetragammaForward);

function withDerivative(
  x: tf.Tensor,
  value: (x: tf.Tensor) => tf.Tensor,
  derivative: (x: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const input = asFloat(x);
  if (!isRecordingGradients()) return value(input);
  return tf.add(value(input), tf.mul(derivative(input), zeroWithUnitGradient(input)));
}

/**
 * The digamma function psi(x) = d/dx log Gamma(x), elementwise, for x > 0 (psi(0) = -Infinity,
 * NaN below 0). Its gradient is {@link trigamma}.
 *
 * @example
 * ```ts
 * digamma(tf.tensor([1])); // [-0.5772157] (minus the Euler-Mascheroni constant)
 * ```
 */
export function digamma(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => withDerivative(x, digammaValue, trigammaValue));
}

/**
 * Second derivative of log Gamma, elementwise, for x > 0 (NaN below 0). Its gradient is the
 * tetragamma function psi''(x), from the same recurrence and series.
 *
 * @example
 * ```ts
 * trigamma(tf.tensor([1])); // [pi^2 / 6]
 * ```
 */
export function trigamma(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => withDerivative(x, trigammaValue, tetragammaValue));
}

/**
 * log |Gamma(x)| elementwise, for x > 0 (lgamma(0) = +Infinity, NaN below 0). Its gradient is
 * {@link digamma}.
 *
 * @example
 * ```ts
 * lgamma(tf.tensor([0.5, 5])); // [log(sqrt(pi)), log(24)]
 * ```
 */
export function lgamma(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => withDerivative(x, lgammaValue, digammaValue));
}

/**
 * log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), broadcasting `a` against `b`.
 *
 * @example
 * ```ts
 * logBeta(tf.tensor([1]), tf.tensor([2])); // [log(1/2)]
 * ```
 */
export function logBeta(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.add(lgamma(a), lgamma(b)), lgamma(tf.add(a, b))));
}

/**
 * The multivariate log Gamma function of dimension p:
 * p (p - 1) / 4 log(pi) + sum over j < p of lgamma(a - j / 2). Needs a > (p - 1) / 2.
 *
 * @example
 * ```ts
 * multivariateLgamma(tf.tensor([2.5]), 3); // shape [1]
 * ```
 */
export function multivariateLgamma(a: tf.Tensor, p: number): tf.Tensor {
  return tf.tidy(() => {
    const offsets = tf.mul(tf.range(0, p, 1, 'float32'), -0.5);
    const shifted = tf.add(tf.expandDims(asFloat(a), -1), offsets);
    return tf.add(tf.sum(lgamma(shifted), -1), (p * (p - 1) * Math.log(Math.PI)) / 4);
  });
}

/**
 * x log(y) with the convention 0 log(0) = 0 (and a gradient that stays finite there), broadcasting.
 *
 * @example
 * ```ts
 * xlogy(tf.tensor([0, 2]), tf.tensor([0, 3])); // [0, 2 log 3]
 * ```
 */
export function xlogy(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const outShape = tf.broadcast_util.assertAndGetBroadcastShape(x.shape, y.shape);
    const xb = tf.broadcastTo(asFloat(x), outShape);
    const yb = tf.broadcastTo(asFloat(y), outShape);
    const zeroX = untracked(xb, (t) => tf.equal(t, 0));
    const zeroY = untracked(yb, (t) => tf.equal(t, 0));
    const safeY = tf.where(
      untracked(yb, () => tf.logicalOr(zeroX, zeroY)),
      tf.onesLike(xb),
      yb,
    );
    // log(0) = -Infinity set explicitly (WebGL's log(0) is about -88, not -Infinity).
    const minusInfinity = tf.fill(outShape, Number.NEGATIVE_INFINITY);
    const onlyY = untracked(yb, () => tf.logicalAnd(zeroY, tf.logicalNot(zeroX)));
    const logY = tf.where(onlyY, minusInfinity, tf.log(safeY));
    return tf.where(zeroX, tf.zerosLike(xb), tf.mul(xb, logY));
  });
}
