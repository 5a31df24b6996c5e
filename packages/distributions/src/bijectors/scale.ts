import * as tf from '@tensorflow/tfjs-core';
import { broadcastWithParams } from '../internal/bijector-shapes.js';
import { nonZero, real } from '../internal/constraints.js';
import { type ParamLike, ParamScope } from '../internal/params.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * Options of {@link Scale}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Scale, type ScaleOptions } from '@vae/distributions';
 *
 * const options: ScaleOptions = { scale: [2, -0.5] };
 * new Scale(options).forward([1, 4]).print(); // -> [2, -2]
 * ```
 */
export interface ScaleOptions extends BijectorOptions {
  /** Finite non-zero factors (negative ones reverse the order), broadcast against x. */
  scale: ParamLike;
}

/**
 * y = scale * x, elementwise (event rank 0), log-det log |scale| (TFP's `Scale`). `scale` is
 * borrowed (a tensor built from numbers is owned and freed by `dispose()`).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Scale } from '@vae/distributions';
 *
 * const scale = new Scale({ scale: [2, -0.5] });
 * scale.forward([1, 4]).print(); // -> [2, -2]
 * // [log 2, log 0.5]:
 * scale.forwardLogDetJacobian([1, 4]).print(); // -> [0.6931, -0.6931]
 * ```
 */
export class Scale extends Bijector {
  /** The factor of y = scale * x, as a float32 tensor. */
  readonly scale: tf.Tensor;

  /**
   * Builds the bijector from its parameters (numbers, nested arrays or tensors,
   * borrowed; a `tf.Variable` is read at each call, so gradients reach it).
   *
   * @param options - `scale` (non-zero), `validateArgs` (default true: check the parameters,
   *   reading them back), and `cache` (see {@link ScaleOptions}).
   */
  constructor(options: ScaleOptions) {
    const scope = new ParamScope('Scale', options);
    const scale = scope.param('scale', options.scale, nonZero);
    super({
      name: 'Scale',
      domain: real,
      codomain: real,
      cache: options.cache,
      owned: scope.owned,
    });
    this.scale = scale;
  }

  override forwardShape(shape: readonly number[]): number[] {
    return broadcastWithParams('Scale.forwardShape', shape, [this.scale.shape]);
  }

  override inverseShape(shape: readonly number[]): number[] {
    return broadcastWithParams('Scale.inverseShape', shape, [this.scale.shape]);
  }

  override sign(): tf.Tensor {
    return tf.sign(this.scale);
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, this.scale);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return tf.div(y, this.scale);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    // zerosLike(x) keeps the log-det on x's tape (a zero gradient rather than none).
    return tf.add(tf.zerosLike(x), tf.log(tf.abs(this.scale)));
  }
}
