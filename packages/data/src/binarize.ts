import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';

/**
 * Static binarization: 1 where a value is above `threshold`, else 0. The same
 * binary image every time (the "thresholded MNIST" of many papers).
 *
 * @param x - values in [0, 1], any shape; not disposed.
 * @param threshold - the cut, in (0, 1) (default 0.5).
 * @returns a float32 tensor of 0s and 1s with the shape of `x`; the caller owns it.
 *
 * @example
 * ```ts
 * staticBinarize(tf.tensor([0.2, 0.7])); // [0, 1]
 * ```
 */
export function staticBinarize(x: tf.Tensor, threshold = 0.5): tf.Tensor {
  ensureArgument(
    threshold > 0 && threshold < 1,
    () => `staticBinarize: \`threshold\` must be in (0, 1), got ${threshold}`,
  );
  return tf.tidy(() => tf.cast(tf.greater(x, threshold), 'float32'));
}

/**
 * Dynamic binarization: each value is replaced by a Bernoulli draw with that
 * value as its probability, so every call (every batch) sees a fresh binary
 * image. Standard for Bernoulli-decoder VAEs on MNIST; reduces overfitting.
 *
 * @param x - probabilities in [0, 1], any shape; not disposed.
 * @param seed - the seed of the uniform draws (same seed, same result).
 * @returns a float32 tensor of 0s and 1s with the shape of `x`; the caller owns it.
 *
 * @example
 * ```ts
 * const binary = dynamicBinarize(images, 42 + step); // a new seed per batch
 * ```
 */
export function dynamicBinarize(x: tf.Tensor, seed: number): tf.Tensor {
  ensureArgument(
    Number.isFinite(seed),
    () => `dynamicBinarize: \`seed\` must be a number, got ${seed}`,
  );
  return tf.tidy(() =>
    tf.cast(tf.less(tf.randomUniform(x.shape, 0, 1, 'float32', seed), x), 'float32'),
  );
}
