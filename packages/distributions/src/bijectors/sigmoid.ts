import * as tf from '@tensorflow/tfjs-core';
import { real, unitInterval } from '../internal/constraints.js';
import { EPS, softplus, TINY } from '../internal/math.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/** The largest float32 below 1. */
const BELOW_ONE = 1 - EPS / 2;

/**
 * y = 1 / (1 + e^-x) from the reals to (0, 1) (torch's `SigmoidTransform`): outputs and inputs
 * of the inverse are clamped to [tiny, 1 - eps/2] of float32 (torch clamps to 1 - eps, which
 * maps 1 - 2^-24 to 1 - 2^-23), so the logit log(y) - log1p(-y) stays finite. Log-det -softplus(-x) - softplus(x), finite at any x where
 * log(y (1 - y)) underflows. The `bijectTo` of `constraints.unitInterval`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Sigmoid } from '@vae/distributions';
 *
 * const sigmoid = new Sigmoid();
 * // Clamped to 1 - 2^-24, the largest float32 below 1:
 * sigmoid.forward([0, 40]).print(); // -> [0.5, 0.9999999]
 * // [log 0.25, -40]:
 * sigmoid.forwardLogDetJacobian([0, 40]).print(); // -> [-1.3863, -40]
 * ```
 */
export class Sigmoid extends Bijector {
  /**
   * Builds the bijector (it has no parameters).
   *
   * @param options - `cache` (default true): remember the last forward/inverse pair (see {@link Bijector}).
   */
  constructor(options: Pick<BijectorOptions, 'cache'> = {}) {
    super({ name: 'Sigmoid', domain: real, codomain: unitInterval, cache: options.cache });
  }

  override sign(): number {
    return 1;
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return tf.clipByValue(tf.sigmoid(x), TINY, BELOW_ONE);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    const clamped = tf.clipByValue(y, TINY, BELOW_ONE);
    return tf.sub(tf.log(clamped), tf.log1p(tf.neg(clamped)));
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(softplus(tf.neg(x)), softplus(x)));
  }
}
