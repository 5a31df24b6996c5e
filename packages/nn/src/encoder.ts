import type * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { type CallOptions, Module } from './module.js';

/**
 * Base of the encoders: maps x [batch, ...dataShape] to q(z | x), a
 * distribution with batch shape [batch] and event shape [latentDim] that the
 * caller owns. {@link GaussianEncoder} is the diagonal Gaussian one; a flow
 * posterior (an IAF on top of it) is another.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Encoder, GaussianEncoder, Linear } from '@vae/nn';
 * const encoder: Encoder = new GaussianEncoder({
 *   body: new Linear({ inFeatures: 4, outFeatures: 8, seed: 1 }),
 *   features: 8,
 *   latentDim: 2,
 *   seed: 2,
 * });
 * const q = encoder.call(tf.zeros([3, 4])); // batch [3], event [2]
 * q.dispose();
 * ```
 */
export abstract class Encoder extends Module<Distribution> {
  /** Size of z. */
  abstract readonly latentDim: number;

  /**
   * x [batch, ...dataShape] -> q(z | x), owned by the caller. `options.inputGradient:
   * false` when x is data whose gradient nobody reads (a training loss's batch; see
   * {@link CallOptions}).
   */
  abstract override call(x: tf.Tensor, options?: CallOptions): Distribution;

  /** `call(x, options)`: an encoder takes {@link CallOptions}. */
  override callWithOptions(x: tf.Tensor, options?: CallOptions): Distribution {
    return this.call(x, options);
  }

  /**
   * One point code per input: x [batch, ...dataShape] -> z [batch, latentDim],
   * owned by the caller. Here the mean of q(z | x); an encoder whose posterior has
   * no closed-form mean (a flow) overrides it with another deterministic code.
   *
   * @example
   * ```ts
   * import '@tensorflow/tfjs-backend-cpu';
   * import * as tf from '@tensorflow/tfjs-core';
   * import { GaussianEncoder, Linear } from '@vae/nn';
   * const encoder = new GaussianEncoder({
   *   body: new Linear({ inFeatures: 4, outFeatures: 8, seed: 1 }),
   *   features: 8,
   *   latentDim: 2,
   *   seed: 2,
   * });
   * const z = encoder.code(tf.zeros([3, 4])); // the posterior means
   * console.log(z.shape); // -> [ 3, 2 ]
   * z.dispose();
   * encoder.dispose();
   * ```
   */
  code(x: tf.Tensor): tf.Tensor {
    const q = this.call(x);
    try {
      return q.mean();
    } finally {
      q.dispose();
    }
  }
}
