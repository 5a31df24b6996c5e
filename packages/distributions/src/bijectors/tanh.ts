import * as tf from '@tensorflow/tfjs-core';
import { real, signedUnitInterval } from '../internal/constraints.js';
import { softplus } from '../internal/math.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * y = tanh(x) from the reals to (-1, 1) (torch's `TanhTransform`). Inverse
 * atanh(y) = (log1p(y) - log1p(-y)) / 2; log-det log(1 - tanh^2 x) computed as
 * 2 (log 2 - x - softplus(-2x)), finite for any x (the direct form is log 0 beyond |x| ~ 9).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Tanh } from '@vae/distributions';
 *
 * const tanh = new Tanh();
 * tanh.forwardLogDetJacobian([0, 20]).print(); // -> [0, -38.6137]
 * ```
 */
export class Tanh extends Bijector {
  /**
   * Builds the bijector (it has no parameters).
   *
   * @param options - `cache` (default true): remember the last forward/inverse pair (see {@link Bijector}).
   */
  constructor(options: Pick<BijectorOptions, 'cache'> = {}) {
    super({ name: 'Tanh', domain: real, codomain: signedUnitInterval, cache: options.cache });
  }

  override sign(): number {
    return 1;
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return tf.mul(tf.sub(tf.log1p(y), tf.log1p(tf.neg(y))), 0.5);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    return logOneMinusTanhSquared(x);
  }
}

/** log(1 - tanh^2 x) = 2 (log 2 - x - softplus(-2x)), finite for any x (package-private). */
export function logOneMinusTanhSquared(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.sub(Math.LN2, tf.add(x, softplus(tf.mul(x, -2)))), 2);
}
