import * as tf from '@tensorflow/tfjs-core';

// tfjs-core has no stop_gradient: an identity whose gradient is zero.
const identityWithoutGradient = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => {
  const x = input as tf.Tensor;
  return { value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/** `x` with gradients blocked: the value is a copy, its gradient is zero. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return identityWithoutGradient(x) as T;
}
