import * as tf from '@tensorflow/tfjs-core';
import { ensureTrailing } from '../internal/bijector-shapes.js';
import { realVector } from '../internal/constraints.js';
import { adjointIndex, gatherLast } from '../internal/gather-last.js';
import { ensure } from '../internal/validate.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * Options of {@link Permute}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Permute, type PermuteOptions } from '@vae/distributions';
 *
 * const options: PermuteOptions = { permutation: [2, 0, 1] };
 * new Permute(options).forward([10, 20, 30]).print(); // -> [30, 10, 20]
 * ```
 */
export interface PermuteOptions extends Pick<BijectorOptions, 'cache'> {
  /** A permutation of 0..d-1: `y[..., i] = x[..., permutation[i]]`. */
  permutation: number[];
}

/**
 * Permutes the last axis (TFP's `Permute`, event rank 1): `y[..., i] = x[..., permutation[i]]`;
 * log-det 0 `[...batch]`. Used between the layers of a coupling or autoregressive flow.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Permute } from '@vae/distributions';
 *
 * const permute = new Permute({ permutation: [2, 0, 1] });
 * const y = permute.forward([10, 20, 30]);
 * y.print(); // -> [30, 10, 20]
 * permute.inverse(y).print(); // -> [10, 20, 30]
 * ```
 */
export class Permute extends Bijector {
  /** The permutation of the last axis: `y[..., i] = x[..., permutation[i]]`. */
  readonly permutation: readonly number[];
  private readonly inversePermutation: number[];

  /**
   * Builds the bijector from its parameters (numbers, nested arrays or tensors,
   * borrowed; a `tf.Variable` is read at each call, so gradients reach it).
   *
   * @param options - `permutation` of the last axis, and `cache` (see {@link PermuteOptions}).
   */
  constructor(options: PermuteOptions) {
    const { permutation } = options;
    const d = Array.isArray(permutation) ? permutation.length : 0;
    ensure(
      Array.isArray(permutation) &&
        [...permutation].sort((a, b) => a - b).every((value, i) => value === i),
      () =>
        `Permute: \`permutation\` must be a permutation of 0..${d - 1}, got ${JSON.stringify(permutation)}`,
    );
    super({ name: 'Permute', domain: realVector, codomain: realVector, cache: options.cache });
    this.permutation = [...permutation];
    this.inversePermutation = adjointIndex(permutation, d);
  }

  override forwardShape(shape: readonly number[]): number[] {
    ensureTrailing('Permute.forwardShape', shape, [this.permutation.length]);
    return [...shape];
  }

  override inverseShape(shape: readonly number[]): number[] {
    ensureTrailing('Permute.inverseShape', shape, [this.permutation.length]);
    return [...shape];
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    this.forwardShape(x.shape);
    return gatherLast(x, this.permutation, this.inversePermutation);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    this.inverseShape(y.shape);
    return gatherLast(y, this.inversePermutation, this.permutation);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    this.forwardShape(x.shape);
    // zerosLike(x) keeps the log-det on x's tape (a zero gradient rather than none).
    return tf.sum(tf.zerosLike(x), -1);
  }
}
