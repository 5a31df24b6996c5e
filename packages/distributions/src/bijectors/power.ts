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
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Power, type PowerOptions } from '@vae/distributions';
 *
 * const options: PowerOptions = { exponent: [0.5, 2] };
 * new Power(options).forward([4, 4]).print(); // -> [2, 16]
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
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Power } from '@vae/distributions';
 *
 * const square = new Power({ exponent: 2 });
 * square.forward([3]).print(); // -> [9]
 * square.dispose();
 * ```
 */
export class Power extends Bijector {
  /** The exponent p of y = x^p, as a float32 tensor. */
  readonly exponent: tf.Tensor;

  /**
   * Builds the bijector from its parameters (numbers, nested arrays or tensors,
   * borrowed; a `tf.Variable` is read at each call, so gradients reach it).
   *
   * @param options - `exponent`, `validateArgs` (default true: check the parameters,
   *   reading them back), and `cache` (see {@link PowerOptions}).
   */
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
