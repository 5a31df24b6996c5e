import * as tf from '@tensorflow/tfjs-core';
import { broadcastWithParams } from '../internal/bijector-shapes.js';
import { nonZero, positiveValue } from '../internal/constraints.js';
import { type ParamLike, ParamScope } from '../internal/params.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * Options of {@link Power}.
 *
 * @example
 * ```ts
 * const options: PowerOptions = { exponent: [0.5, 2] };
 * ```
 */
export interface PowerOptions extends BijectorOptions {
  /** Finite non-zero exponents, broadcast against x. */
  exponent: ParamLike;
}

/**
 * y = x^exponent on (0, ∞) (torch's `PowerTransform`), log-det
 * log |exponent| + (exponent - 1) log x; decreasing for negative exponents. `exponent` is
 * borrowed (a tensor built from numbers is owned and freed by `dispose()`).
 *
 * @example
 * ```ts
 * const square = new Power({ exponent: 2 });
 * const y = square.forward([3]); // [9]
 * square.dispose();
 * ```
 */
export class Power extends Bijector {
  readonly exponent: tf.Tensor;

  constructor(options: PowerOptions) {
    const scope = new ParamScope('Power', options);
    const exponent = scope.param('exponent', options.exponent, nonZero);
    super({
      name: 'Power',
      domain: positiveValue,
      codomain: positiveValue,
      cache: options.cache,
      owned: scope.owned,
    });
    this.exponent = exponent;
  }

  override forwardShape(shape: readonly number[]): number[] {
    return broadcastWithParams('Power.forwardShape', shape, [this.exponent.shape]);
  }

  override inverseShape(shape: readonly number[]): number[] {
    return broadcastWithParams('Power.inverseShape', shape, [this.exponent.shape]);
  }

  override sign(): tf.Tensor {
    return tf.sign(this.exponent);
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return tf.pow(x, this.exponent);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return tf.pow(y, tf.reciprocal(this.exponent));
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    const logAbs = tf.log(tf.abs(this.exponent));
    return tf.add(logAbs, tf.mul(tf.sub(this.exponent, 1), tf.log(x)));
  }
}
