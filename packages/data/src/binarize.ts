import * as tf from '@tensorflow/tfjs-core';
import { checkSeed, ensureArgument, tfSeed } from '@vae/divergence';

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
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { staticBinarize } from '@vae/data';
 *
 * const binary = staticBinarize(tf.tensor([0.2, 0.7]));
 * binary.print(); // -> [0, 1]
 * binary.dispose();
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
 * @param seed - the seed of the uniform draws (same seed, same result; 0 is a seed
 *   like any other, handed to tfjs through `tfSeed`).
 * @returns a float32 tensor of 0s and 1s with the shape of `x`; the caller owns it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { dynamicBinarize } from '@vae/data';
 *
 * const images = tf.fill([2, 784], 0.3);
 * const binary = dynamicBinarize(images, 7); // a new seed per batch
 * // Each pixel is 1 with probability 0.3:
 * tf.mean(binary).print(); // -> 0.2997
 * tf.dispose([images, binary]);
 * ```
 */
export function dynamicBinarize(x: tf.Tensor, seed: number): tf.Tensor {
  checkSeed('dynamicBinarize', seed);
  ensureArgument(seed !== undefined, () => 'dynamicBinarize: `seed` is required');
  return tf.tidy(() =>
    tf.cast(tf.less(tf.randomUniform(x.shape, 0, 1, 'float32', tfSeed(seed)), x), 'float32'),
  );
}
