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
 * @param x - Any tensor; not disposed.
 * @returns A copy of `x` that blocks gradients.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { stopGradient } from '@vae/divergence';
 *
 * // tfjs-core registers no gradients by itself: in plain Node, import them as a bundler build would.
 * import { ensureGradients } from '@vae/trainer';
 *
 * await ensureGradients();
 * const x = tf.scalar(3);
 * // 3, not the 6 of d(x^2)/dx:
 * tf.grad((t: tf.Tensor) => tf.mul(t, stopGradient(t)))(x).print(); // -> 3
 * ```
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return identityWithoutGradient(x) as T;
}
