import * as tf from '@tensorflow/tfjs-core';
import { tfSeed } from '@vae/divergence';

/** Fan-in and fan-out of a weight, as the variance-scaling initializers use them. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Creates the initial value of a weight of `shape`: a new tensor the caller
 * owns. The same `seed` gives the same values on every backend (tfjs draws
 * random numbers on the host).
 */
export type Initializer = (shape: readonly number[], fans: Fans, seed: number) => tf.Tensor;

/**
 * Uniform on [-l, l] with l = sqrt(6 / (fanIn + fanOut)): variance 2 / (fanIn + fanOut).
 *
 * @example
 * ```ts
 * const w = glorotUniform([784, 400], { fanIn: 784, fanOut: 400 }, 42);
 * ```
 */
export const glorotUniform: Initializer = (shape, { fanIn, fanOut }, seed) => {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform([...shape], -limit, limit, 'float32', tfSeed(seed));
};

/**
 * Normal with mean 0 and variance 2 / (fanIn + fanOut) (not truncated, so the
 * variance is exactly that).
 *
 * @example
 * ```ts
 * const w = glorotNormal([400, 20], { fanIn: 400, fanOut: 20 }, 42);
 * ```
 */
export const glorotNormal: Initializer = (shape, { fanIn, fanOut }, seed) =>
  tf.randomNormal([...shape], 0, Math.sqrt(2 / (fanIn + fanOut)), 'float32', tfSeed(seed));

/**
 * Normal with mean 0 and variance 2 / fanIn (He et al. 2015, for ReLU layers; not truncated).
 *
 * @example
 * ```ts
 * const w = heNormal([784, 400], { fanIn: 784, fanOut: 400 }, 42);
 * ```
 */
export const heNormal: Initializer = (shape, { fanIn }, seed) =>
  tf.randomNormal([...shape], 0, Math.sqrt(2 / fanIn), 'float32', tfSeed(seed));

/**
 * Uniform on [-l, l] with l = sqrt(6 / fanIn): variance 2 / fanIn.
 *
 * @example
 * ```ts
 * const w = heUniform([784, 400], { fanIn: 784, fanOut: 400 }, 42);
 * ```
 */
export const heUniform: Initializer = (shape, { fanIn }, seed) => {
  const limit = Math.sqrt(6 / fanIn);
  return tf.randomUniform([...shape], -limit, limit, 'float32', tfSeed(seed));
};

/**
 * All zeros (the default for biases).
 *
 * @example
 * ```ts
 * const b = zeros([400], { fanIn: 784, fanOut: 400 }, 0);
 * ```
 */
export const zeros: Initializer = (shape) => tf.zeros([...shape]);
