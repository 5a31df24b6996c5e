import * as tf from '@tensorflow/tfjs-core';
import { positiveValue, real } from '../internal/constraints.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * y = exp(x) from the reals to (0, ∞), log-det x (torch's `ExpTransform`). The `bijectTo` of
 * the positive constraints; `LogNormal` is a Normal through it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Exp } from '@vae/distributions';
 *
 * const exp = new Exp();
 * const x = tf.tensor1d([0, 1]);
 * const y = exp.forward(x);
 * y.print(); // -> [1, 2.7183]
 * const back = exp.inverse(y); // a copy of x, exactly (cached)
 * back.print(); // -> [0, 1]
 * ```
 */
export class Exp extends Bijector {
  /**
   * Builds the bijector (it has no parameters).
   *
   * @param options - `cache` (default true): remember the last forward/inverse pair (see {@link Bijector}).
   */
  constructor(options: Pick<BijectorOptions, 'cache'> = {}) {
    super({ name: 'Exp', domain: real, codomain: positiveValue, cache: options.cache });
  }

  override sign(): number {
    return 1;
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return tf.exp(x);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return tf.log(y);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    return x.clone();
  }

  protected override computeInverseLogDet(y: tf.Tensor): tf.Tensor {
    return tf.neg(tf.log(y));
  }
}
