import * as tf from '@tensorflow/tfjs-core';
import { tfSeed } from '@vae/divergence';

/** Fan-in and fan-out of a weight, as the variance-scaling initializers use them. */
export interface Fans {
  /** Inputs of a unit (for a weight [in, out], in). */
  fanIn: number;
  /** Outputs of a unit (for a weight [in, out], out). */
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
 * @param shape - The shape of the weight.
 * @param fans - Its fan-in and fan-out.
 * @param seed - The seed: the same seed gives the same values.
 * @returns A new tensor the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { glorotUniform } from '@vae/nn';
 * const w = glorotUniform([784, 400], { fanIn: 784, fanOut: 400 }, 42);
 * ```
 */
export function glorotUniform(shape: readonly number[], fans: Fans, seed: number): tf.Tensor {
  const limit = Math.sqrt(6 / (fans.fanIn + fans.fanOut));
  return tf.randomUniform([...shape], -limit, limit, 'float32', tfSeed(seed));
}

/**
 * Normal with mean 0 and variance 2 / (fanIn + fanOut) (not truncated, so the
 * variance is exactly that).
 *
 * @param shape - The shape of the weight.
 * @param fans - Its fan-in and fan-out.
 * @param seed - The seed: the same seed gives the same values.
 * @returns A new tensor the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { glorotNormal } from '@vae/nn';
 * const w = glorotNormal([400, 20], { fanIn: 400, fanOut: 20 }, 42);
 * ```
 */
export function glorotNormal(shape: readonly number[], fans: Fans, seed: number): tf.Tensor {
  const std = Math.sqrt(2 / (fans.fanIn + fans.fanOut));
  return tf.randomNormal([...shape], 0, std, 'float32', tfSeed(seed));
}

/**
 * Normal with mean 0 and variance 2 / fanIn (He et al. 2015, for ReLU layers; not truncated).
 *
 * @param shape - The shape of the weight.
 * @param fans - Its fan-in and fan-out.
 * @param seed - The seed: the same seed gives the same values.
 * @returns A new tensor the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { heNormal } from '@vae/nn';
 * const w = heNormal([784, 400], { fanIn: 784, fanOut: 400 }, 42);
 * ```
 */
export function heNormal(shape: readonly number[], fans: Fans, seed: number): tf.Tensor {
  return tf.randomNormal([...shape], 0, Math.sqrt(2 / fans.fanIn), 'float32', tfSeed(seed));
}

/**
 * Uniform on [-l, l] with l = sqrt(6 / fanIn): variance 2 / fanIn.
 *
 * @param shape - The shape of the weight.
 * @param fans - Its fan-in and fan-out.
 * @param seed - The seed: the same seed gives the same values.
 * @returns A new tensor the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { heUniform } from '@vae/nn';
 * const w = heUniform([784, 400], { fanIn: 784, fanOut: 400 }, 42);
 * ```
 */
export function heUniform(shape: readonly number[], fans: Fans, seed: number): tf.Tensor {
  const limit = Math.sqrt(6 / fans.fanIn);
  return tf.randomUniform([...shape], -limit, limit, 'float32', tfSeed(seed));
}

/**
 * All zeros (the default for biases).
 *
 * @param shape - The shape of the weight.
 * @param _fans - Unused (an {@link Initializer} takes them).
 * @param _seed - Unused.
 * @returns A new tensor the caller owns.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { zeros } from '@vae/nn';
 * const b = zeros([400], { fanIn: 784, fanOut: 400 }, 0);
 * console.log(b.shape, b.dataSync()[0]); // -> [ 400 ] 0
 * ```
 */
export function zeros(shape: readonly number[], _fans?: Fans, _seed?: number): tf.Tensor {
  return tf.zeros([...shape]);
}
