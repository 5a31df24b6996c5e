import * as tf from '@tensorflow/tfjs-core';

/**
 * 64 binary vectors of 8 pixels: two prototypes with 5% of the pixels flipped
 * (seeded). Coin flips cost 8 ln 2 = 5.5 nats an example; a model that learns
 * the two prototypes needs about ln 2 plus the noise.
 */
export function twoPrototypes(): tf.Tensor2D {
  return tf.tidy(() => {
    const prototypes = tf.tensor2d([
      [1, 1, 1, 1, 0, 0, 0, 0],
      [0, 0, 1, 1, 1, 1, 0, 1],
    ]);
    const which = tf.cast(tf.greater(tf.randomUniform([64], 0, 1, 'float32', 1), 0.5), 'int32');
    const flip = tf.cast(tf.less(tf.randomUniform([64, 8], 0, 1, 'float32', 2), 0.05), 'float32');
    return tf.abs(tf.sub(tf.gather(prototypes, which), flip)) as tf.Tensor2D;
  });
}
