import * as tf from '@tensorflow/tfjs-core';
import { real } from '../internal/constraints.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * y = x on the reals (event rank 0); log-det 0. The `bijectTo` of `constraints.real`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Identity } from '@vae/distributions';
 *
 * const identity = new Identity();
 * // A new tensor:
 * identity.forward([1, 2]).print(); // -> [1, 2]
 * ```
 */
export class Identity extends Bijector {
  /**
   * Builds the bijector (it has no parameters).
   *
   * @param options - `cache` (default true): remember the last forward/inverse pair (see {@link Bijector}).
   */
  constructor(options: Pick<BijectorOptions, 'cache'> = {}) {
    super({ name: 'Identity', domain: real, codomain: real, cache: options.cache });
  }

  override sign(): number {
    return 1;
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return x.clone();
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return y.clone();
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    return tf.zerosLike(x);
  }
}
