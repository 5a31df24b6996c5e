import * as tf from '@tensorflow/tfjs-core';
import { positiveValue, real } from '../internal/constraints.js';
import { logSigmoid, softplus } from '../internal/math.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * y = log(1 + e^x) from the reals to (0, ∞) (torch's `SoftplusTransform`), computed without
 * overflow. Inverse x = y + log(-expm1(-y)), accurate for tiny and large y; log-det
 * log sigmoid(x) = -softplus(-x), and the inverse log-det -log(-expm1(-y)), both finite where
 * the direct forms underflow.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Softplus } from '@vae/distributions';
 *
 * const softplus = new Softplus();
 * // softplus(-30) = 9.4e-14 prints as 0:
 * softplus.forward([-30, 0, 30]).print(); // -> [0, 0.6931, 30]
 * ```
 */
export class Softplus extends Bijector {
  /**
   * Builds the bijector (it has no parameters).
   *
   * @param options - `cache` (default true): remember the last forward/inverse pair (see {@link Bijector}).
   */
  constructor(options: Pick<BijectorOptions, 'cache'> = {}) {
    super({ name: 'Softplus', domain: real, codomain: positiveValue, cache: options.cache });
  }

  override sign(): number {
    return 1;
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return softplus(x);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return tf.add(y, logOneMinusExpNeg(y));
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    return logSigmoid(x);
  }

  protected override computeInverseLogDet(y: tf.Tensor): tf.Tensor {
    return tf.neg(logOneMinusExpNeg(y));
  }
}

/** log(1 - e^-y) for y > 0, as log(-expm1(-y)). */
function logOneMinusExpNeg(y: tf.Tensor): tf.Tensor {
  return tf.log(tf.neg(tf.expm1(tf.neg(y))));
}
