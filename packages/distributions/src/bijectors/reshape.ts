import * as tf from '@tensorflow/tfjs-core';
import { ensureTrailing } from '../internal/bijector-shapes.js';
import { independent, real } from '../internal/constraints.js';
import { sumRightmost } from '../internal/math.js';
import { formatShape, isShape } from '../internal/shapes.js';
import { ensure } from '../internal/validate.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * Options of {@link Reshape}: the event shapes on both sides (same number of entries).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Reshape, type ReshapeOptions } from '@vae/distributions';
 *
 * const options: ReshapeOptions = { eventShapeIn: [6], eventShapeOut: [2, 3] };
 * console.log(new Reshape(options).forward(tf.ones([6])).shape); // -> [ 2, 3 ]
 * ```
 */
export interface ReshapeOptions extends Pick<BijectorOptions, 'cache'> {
  /** The trailing axes of an input `[...batch, ...eventShapeIn]`. */
  eventShapeIn: number[];
  /** What they become, with as many elements: outputs are `[...batch, ...eventShapeOut]`. */
  eventShapeOut: number[];
}

/**
 * Reshapes the trailing event axes `[...batch, ...eventShapeIn]` to
 * `[...batch, ...eventShapeOut]` (torch's `ReshapeTransform`); log-det 0 `[...batch]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Reshape } from '@vae/distributions';
 *
 * const reshape = new Reshape({ eventShapeIn: [6], eventShapeOut: [2, 3] });
 * console.log(reshape.forward(tf.ones([4, 6])).shape); // -> [ 4, 2, 3 ]
 * ```
 */
export class Reshape extends Bijector {
  /** The trailing axes of an input `[...batch, ...eventShapeIn]`. */
  readonly eventShapeIn: readonly number[];
  /** The trailing axes of an output `[...batch, ...eventShapeOut]`. */
  readonly eventShapeOut: readonly number[];

  /**
   * Builds the bijector from its parameters (numbers, nested arrays or tensors,
   * borrowed; a `tf.Variable` is read at each call, so gradients reach it).
   *
   * @param options - `eventShapeIn` and `eventShapeOut` (the same number of elements), and `cache` (see {@link ReshapeOptions}).
   */
  constructor(options: ReshapeOptions) {
    const { eventShapeIn, eventShapeOut } = options;
    ensure(
      isShape(eventShapeIn) && isShape(eventShapeOut),
      () =>
        `Reshape: \`eventShapeIn\` and \`eventShapeOut\` must be arrays of non-negative integers, got ${JSON.stringify(eventShapeIn)} and ${JSON.stringify(eventShapeOut)}`,
    );
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    ensure(
      size(eventShapeIn) === size(eventShapeOut),
      () =>
        `Reshape: \`eventShapeIn\` ${formatShape(eventShapeIn)} and \`eventShapeOut\` ${formatShape(eventShapeOut)} must have the same number of entries`,
    );
    super({
      name: 'Reshape',
      domain: independent(real, eventShapeIn.length),
      codomain: independent(real, eventShapeOut.length),
      cache: options.cache,
    });
    this.eventShapeIn = [...eventShapeIn];
    this.eventShapeOut = [...eventShapeOut];
  }

  override forwardShape(shape: readonly number[]): number[] {
    return swapTrailing('Reshape.forwardShape', shape, [this.eventShapeIn, this.eventShapeOut]);
  }

  override inverseShape(shape: readonly number[]): number[] {
    return swapTrailing('Reshape.inverseShape', shape, [this.eventShapeOut, this.eventShapeIn]);
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return tf.reshape(x, this.forwardShape(x.shape));
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return tf.reshape(y, this.inverseShape(y.shape));
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    ensureTrailing('Reshape.forwardLogDetJacobian', x.shape, this.eventShapeIn);
    // zerosLike(x) keeps the log-det on x's tape (a zero gradient rather than none).
    return sumRightmost(tf.zerosLike(x), this.eventShapeIn.length);
  }
}

/** `[...batch, ...from]` -> `[...batch, ...to]`. */
function swapTrailing(
  where: string,
  shape: readonly number[],
  [from, to]: readonly [readonly number[], readonly number[]],
): number[] {
  ensureTrailing(where, shape, from);
  return [...shape.slice(0, shape.length - from.length), ...to];
}
