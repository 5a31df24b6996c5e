import * as tf from '@tensorflow/tfjs-core';

// tfjs-core has no stop_gradient: an identity whose gradient is zero.
const identityWithoutGradient = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => {
  const x = input as tf.Tensor;
  return { value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * `x` with gradients blocked (torch's `detach`, TF's `stop_gradient`): the value
 * is a copy the caller owns, and no gradient flows back to `x`.
 *
 * @example
 * ```ts
 * const x = tf.scalar(3);
 * const grad = tf.grad((t: tf.Tensor) => tf.mul(t, stopGradient(t)))(x); // 3, not 6
 * ```
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return identityWithoutGradient(x) as T;
}
