import * as tf from '@tensorflow/tfjs-core';
import { broadcastWithParams } from '../internal/bijector-shapes.js';
import { finiteReal, real } from '../internal/constraints.js';
import { type ParamLike, ParamScope } from '../internal/params.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * Options of {@link Shift}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Shift, type ShiftOptions } from '@vae/distributions';
 *
 * const options: ShiftOptions = { shift: [1, -1] };
 * new Shift(options).forward([0, 0]).print(); // -> [1, -1]
 * ```
 */
export interface ShiftOptions extends BijectorOptions {
  /** Finite offsets, broadcast against x. */
  shift: ParamLike;
}

/**
 * y = x + shift, elementwise (event rank 0), log-det 0 (TFP's `Shift`). `shift` is borrowed
 * (a tensor built from numbers is owned and freed by `dispose()`).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Shift } from '@vae/distributions';
 *
 * const shift = new Shift({ shift: [1, -1] });
 * shift.forward([[0, 0], [1, 1]]).print(); // -> [[1, -1], [2, 0]]
 * shift.dispose();
 * ```
 */
export class Shift extends Bijector {
  /** The offset of y = x + shift, as a float32 tensor. */
  readonly shift: tf.Tensor;

  /**
   * Builds the bijector from its parameters (numbers, nested arrays or tensors,
   * borrowed; a `tf.Variable` is read at each call, so gradients reach it).
   *
   * @param options - `shift`, `validateArgs` (default true: check the parameters,
   *   reading them back), and `cache` (see {@link ShiftOptions}).
   */
  constructor(options: ShiftOptions) {
    const scope = new ParamScope('Shift', options);
    const shift = scope.param('shift', options.shift, finiteReal);
    super({
      name: 'Shift',
      domain: real,
      codomain: real,
      cache: options.cache,
      owned: scope.owned,
    });
    this.shift = shift;
  }

  override forwardShape(shape: readonly number[]): number[] {
    return broadcastWithParams('Shift.forwardShape', shape, [this.shift.shape]);
  }

  override inverseShape(shape: readonly number[]): number[] {
    return broadcastWithParams('Shift.inverseShape', shape, [this.shift.shape]);
  }

  override sign(): number {
    return 1;
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return tf.add(x, this.shift);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return tf.sub(y, this.shift);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    // zerosLike(x) keeps the log-det on x's tape (a zero gradient rather than none).
    return tf.broadcastTo(tf.zerosLike(x), this.forwardShape(x.shape));
  }
}
