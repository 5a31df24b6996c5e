import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, tfSeed } from '@vae/divergence';

/**
 * Uniform on [-1/sqrt(D), 1/sqrt(D)] (Pyro's initialization of planar and radial flows), from
 * stream `stream` of `seed`.
 */
export function smallUniform(
  shape: number[],
  features: number,
  seed: { seed: number; stream: number },
): tf.Tensor {
  const bound = 1 / Math.sqrt(features);
  return tf.randomUniform(
    shape,
    -bound,
    bound,
    'float32',
    tfSeed(deriveSeed(seed.seed, seed.stream)),
  );
}
