import type * as tf from '@tensorflow/tfjs-core';

/**
 * What the functions of this package accept where they want a tensor: a
 * `tf.Tensor` (never disposed by them) or a plain number, array or nested
 * array of numbers (converted to a float32 tensor that is freed afterwards).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { kl, type TensorInput } from '@vae/divergence';
 *
 * const p: TensorInput = [0.5, 0.5];
 * const q: TensorInput = tf.tensor([0.9, 0.1]);
 * kl(p, q).print(); // -> 0.5108
 * ```
 */
export type TensorInput = tf.Tensor | tf.TensorLike;
