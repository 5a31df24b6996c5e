import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from './internal/masks.js';
import { type TensorInput, toFloatTensor } from './internal/validate.js';

// tfjs's Expm1 kernel is exp(x) - 1 on WebGL, which loses every digit for |x| < 6e-8. Below
// |x| = 1/2 this uses the Taylor series through x^9 (Horner form, truncation error below
// 1.1e-8 relative); above, exp(x) - 1 is accurate because |exp(x) - 1| > 0.39.

const SMALL = 0.5;
const TERMS = 9;

const isSmall = withoutGradient((x) => tf.less(tf.abs(x!), SMALL));

function expm1_(x: TensorInput): tf.Tensor {
  const t = toFloatTensor({ fn: 'expm1', name: 'x' }, x);
  const small = isSmall(t);
  // The series sees 0 where it is not taken, so x^9 never overflows into a NaN gradient.
  const safe = tf.where(small, t, tf.zerosLike(t));
  // x (1 + x/2 (1 + x/3 (1 + ... (1 + x/9))))
  let series: tf.Tensor = tf.onesLike(safe);
  for (let k = TERMS; k >= 2; k--) series = tf.add(tf.mul(tf.div(safe, k), series), 1);
  series = tf.mul(safe, series);
  const direct = tf.sub(tf.exp(t), 1);
  return tf.where(small, series, direct);
}

const expm1Op = tf.op({ expm1_ });

/**
 * `exp(x) - 1` elementwise, accurate to float32 rounding for tiny `x` on every backend
 * (WebGL's `tf.expm1` is `exp(x) - 1`: 0 at `x = 1e-10`). `expm1(-Infinity) = -1`.
 * Differentiable: the gradient is `exp(x)`.
 *
 * @param x - Any shape; a tensor (not disposed) or a number or (nested) array.
 * @returns A float32 tensor of the shape of `x`, owned by the caller.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { expm1 } from '@vae/divergence';
 *
 * // print() would round 1e-10 to 0, so read the values:
 * const values = expm1(tf.tensor([1e-10, -0.5, 3])).dataSync();
 * console.log(...values); // -> 1.000e-10 -0.3934693 19.085537
 * ```
 */
export function expm1(x: TensorInput): tf.Tensor {
  return expm1Op(x);
}
