import * as tf from '@tensorflow/tfjs-core';
import { real } from '../internal/constraints.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * y = x on the reals (event rank 0); log-det 0. The `bijectTo` of `constraints.real`.
 *
 * @example
 * ```ts
 * const identity = new Identity();
 * const y = identity.forward([1, 2]); // [1, 2], a new tensor
 * ```
 */
export class Identity extends Bijector {
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
