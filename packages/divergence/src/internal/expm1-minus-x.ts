import * as tf from '@tensorflow/tfjs-core';

// 1/k! for k = 2..10: the Taylor series of e^x - 1 - x.
const COEFFICIENTS = [
  1 / 2,
  1 / 6,
  1 / 24,
  1 / 120,
  1 / 720,
  1 / 5040,
  1 / 40320,
  1 / 362880,
  1 / 3628800,
];
const SERIES_LIMIT = 0.5;

/**
 * e^x - 1 - x elementwise, accurate to float32 precision everywhere: the Gaussian
 * KL terms are sums of it, and computed as exp(x) - 1 - x it loses every digit
 * as x -> 0 (a posterior whose variance nears the prior's). A Taylor series of
 * nine terms for |x| < 0.5 (truncation error below 1e-8 relative), the direct
 * form beyond.
 */
export function expm1MinusX(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // greaterEqual (unlike less) has a registered gradient, so the mask may sit on the tape.
    const large = tf.greaterEqual(tf.abs(x), SERIES_LIMIT);
    const safe = tf.where(large, tf.zerosLike(x), x);
    let series = tf.scalar(COEFFICIENTS[COEFFICIENTS.length - 1]!);
    for (let k = COEFFICIENTS.length - 2; k >= 0; k--) {
      series = tf.add(COEFFICIENTS[k]!, tf.mul(safe, series));
    }
    const near = tf.mul(tf.square(safe), series);
    const far = tf.sub(tf.sub(tf.exp(x), 1), x);
    return tf.where(large, far, near);
  });
}
