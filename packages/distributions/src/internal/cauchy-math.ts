// The standard Cauchy cdf and quantile with both tails accurate in float32: atan(z) / pi + 1/2
// is 0 below z = -1e7 and tan(pi (p - 1/2)) is -2.3e7 at p = 1e-30 (true: -3.2e29).
import * as tf from '@tensorflow/tfjs-core';
import { untaped } from './math.js';

/**
 * tan(y), through its Taylor series y (1 + y^2/3 + 2y^4/15 + 17y^6/315) below |y| = 0.1
 * (truncation < 3e-10 relative): WebGL's tan has an absolute error that is 1% of tan(3e-6).
 */
export function tanAccurate(y: tf.Tensor): tf.Tensor {
  const small = untaped(() => tf.less(tf.abs(y), 0.1));
  const safe = tf.where(small, y, tf.zerosLike(y));
  const y2 = tf.square(safe);
  const series = tf.add(
    tf.mul(tf.add(tf.mul(tf.add(tf.mul(y2, 17 / 315), 2 / 15), y2), 1 / 3), y2),
    1,
  );
  return tf.where(small, tf.mul(safe, series), tf.tan(tf.where(small, tf.ones(y.shape), y)));
}

/** F(z) = atan(-1 / z) / pi below 0 (no cancellation), 1/2 + atan(z) / pi above. */
export function cauchyCdf(z: tf.Tensor): tf.Tensor {
  const negative = untaped(() => tf.less(z, 0));
  const safeNegative = tf.where(negative, z, tf.fill(z.shape, -1));
  const lower = tf.div(tf.atan(tf.neg(tf.reciprocal(safeNegative))), Math.PI);
  const upper = tf.add(tf.div(tf.atan(z), Math.PI), 0.5);
  return tf.where(negative, lower, upper);
}

/**
 * F^-1(p) = tan(pi (p - 1/2)) for p in [1/4, 3/4] (p - 1/2 is exact), -1 / tan(pi p) below and
 * 1 / tan(pi (1 - p)) above (so the tails keep p's precision). ±Infinity at 0 and 1.
 */
export function cauchyQuantile(p: tf.Tensor): tf.Tensor {
  const lowerTail = untaped(() => tf.less(p, 0.25));
  const upperTail = untaped(() => tf.greater(p, 0.75));
  const quarter = tf.fill(p.shape, 0.25);
  const middle = untaped(() => tf.logicalAnd(tf.greaterEqual(p, 0.25), tf.lessEqual(p, 0.75)));
  const centre = tanAccurate(
    tf.mul(tf.sub(tf.where(middle, p, tf.fill(p.shape, 0.5)), 0.5), Math.PI),
  );
  const lower = tf.neg(
    tf.reciprocal(tanAccurate(tf.mul(tf.where(lowerTail, p, quarter), Math.PI))),
  );
  const upper = tf.reciprocal(
    tanAccurate(tf.mul(tf.sub(1, tf.where(upperTail, p, tf.fill(p.shape, 0.75))), Math.PI)),
  );
  const value = tf.where(lowerTail, lower, tf.where(upperTail, upper, centre));
  const atZero = untaped(() => tf.equal(p, 0));
  const atOne = untaped(() => tf.equal(p, 1));
  return tf.where(
    atZero,
    tf.fill(p.shape, Number.NEGATIVE_INFINITY),
    tf.where(atOne, tf.fill(p.shape, Number.POSITIVE_INFINITY), value),
  );
}
