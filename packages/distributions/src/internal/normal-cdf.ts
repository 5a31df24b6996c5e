// The standard normal cdf with both tails accurate: tfjs has no erfc, and 0.5 (1 + erf(z / sqrt 2))
// underflows to 0 below z = -5.4 (where Phi(z) is still 3e-8), so a lower tail goes through erfc.
import * as tf from '@tensorflow/tfjs-core';
import { untaped } from './math.js';

// Numerical Recipes' erfcc (Chebyshev fit): erfc(x) = t exp(-x^2 + P(t)), t = 1 / (1 + x / 2),
// relative error below 1.2e-7 for every x >= 0 (so down to the float32 underflow near x = 9.2).
const ERFC = [
  0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
  1.00002368, -1.26551223,
];

/** erfc(x) for x >= 0 with relative accuracy (differentiable). */
export function erfcPositive(x: tf.Tensor): tf.Tensor {
  const t = tf.reciprocal(tf.add(tf.mul(x, 0.5), 1));
  let series: tf.Tensor = tf.fill(x.shape, ERFC[0]!);
  for (const c of ERFC.slice(1)) series = tf.add(tf.mul(series, t), c);
  return tf.mul(t, tf.exp(tf.sub(series, tf.square(x))));
}

/**
 * Phi(z), the standard normal cdf: 0.5 erfc(|z| / sqrt 2) on the side of the smaller value and
 * one minus it on the other, so Phi(-10) = 7.6e-24 instead of 0.
 */
export function ndtr(z: tf.Tensor): tf.Tensor {
  const tail = tf.mul(erfcPositive(tf.mul(tf.abs(z), Math.SQRT1_2)), 0.5);
  return tf.where(
    untaped(() => tf.less(z, 0)),
    tail,
    tf.sub(1, tail),
  );
}

/** erf(x) for x >= 0 with relative accuracy: its odd Taylor series below 1/2 (truncation < 3e-8), 1 - erfc(x) above. */
export function erfPositive(x: tf.Tensor): tf.Tensor {
  const small = untaped(() => tf.less(x, 0.5));
  const safe = tf.where(small, x, tf.zerosLike(x));
  const x2 = tf.square(safe);
  // 2 / sqrt(pi) (x - x^3/3 + x^5/10 - x^7/42 + x^9/216 - x^11/1320)
  let series: tf.Tensor = tf.fill(x.shape, -1 / 1320);
  for (const c of [1 / 216, -1 / 42, 1 / 10, -1 / 3, 1]) series = tf.add(tf.mul(series, x2), c);
  const taylor = tf.mul(tf.mul(series, safe), 2 / Math.sqrt(Math.PI));
  const large = tf.sub(1, erfcPositive(tf.where(small, tf.fill(x.shape, 0.5), x)));
  return tf.where(small, taylor, large);
}
