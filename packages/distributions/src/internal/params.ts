// Turning constructor options into float32 parameter tensors the distribution may own.
import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Constraint } from './constraints.js';
import { broadcastShapes, formatShape, shapesEqual } from './shapes.js';
import { ensureConstraint } from './validate.js';

/**
 * Anything `tf.tensor` accepts for a parameter or a value: a tensor, a number or nested arrays.
 * Non-float32 tensors are cast (the cast is owned by the distribution).
 *
 * @example
 * ```ts
 * const scale: ParamLike = [[1, 2, 3]]; // or 1, or tf.ones([1, 3])
 * ```
 */
export type ParamLike = tf.Tensor | number | number[] | number[][] | number[][][];

/**
 * What a family constructor receives besides its parameters.
 *
 * @example
 * ```ts
 * const decoder = new Bernoulli({ logits, validateArgs: false }); // no data reads per step
 * ```
 */
export interface DistributionOptions {
  /**
   * Check shapes, finiteness and support of the parameters at construction and of the values
   * given to `logProb` (reads data back). Default true; pass false in hot paths.
   */
  validateArgs?: boolean;
}

/**
 * Collects the tensors a constructor creates (from numbers, casts, broadcasts) so the
 * distribution can free them in `dispose()`, and frees them itself when a check fails. Subclasses
 * of {@link Distribution} build their parameters with one and pass it to `super`.
 *
 * @example
 * ```ts
 * const scope = new ParamScope('Rayleigh', options); // options.validateArgs decides the checks
 * const scale = scope.param('scale', options.scale, positive); // float32, validated, maybe owned
 * const params = scope.broadcast({ scale }); // common batch shape
 * super({ batchShape: params.scale.shape }, scope);
 * ```
 */
export class ParamScope {
  /** Tensors created here, owned by the distribution under construction. */
  readonly owned: tf.Tensor[] = [];
  /** Whether values are checked against their constraints (the `validateArgs` option, default true). */
  readonly validate: boolean;

  /**
   * Starts collecting the tensors a constructor creates.
   *
   * @param className - The family's name, used in error messages (`'Rayleigh: ...'`).
   * @param options - `validateArgs` (default true): whether `param` checks values, reading them back.
   */
  constructor(
    readonly className: string,
    options: DistributionOptions = {},
  ) {
    this.validate = options.validateArgs ?? true;
  }

  /** Takes ownership of a tensor derived at construction. */
  own<T extends tf.Tensor>(x: T): T {
    this.owned.push(x);
    return x;
  }

  /** Frees what was created so far and throws `INVALID_ARGUMENT`. */
  fail(message: string): never {
    tf.dispose(this.owned);
    this.owned.length = 0;
    throw new VaeError('INVALID_ARGUMENT', message);
  }

  /** Converts `value` to float32 (owning any tensor created) and checks it when validating. */
  param(name: string, value: ParamLike | undefined, constraint?: Constraint): tf.Tensor {
    if (value === undefined) return this.fail(`${this.className}: \`${name}\` is required`);
    let x: tf.Tensor;
    if (value instanceof tf.Tensor) {
      if (value.isDisposed) return this.fail(`${this.className}: \`${name}\` is a disposed tensor`);
      x = value.dtype === 'float32' ? value : this.own(tf.cast(value, 'float32'));
    } else {
      try {
        x = this.own(tf.tensor(value, undefined, 'float32'));
      } catch (error) {
        return this.fail(
          `${this.className}: \`${name}\` is not a number or a rectangular array (${String(error)})`,
        );
      }
    }
    if (this.validate && constraint !== undefined) this.check(name, x, constraint);
    return x;
  }

  /** Checks `x` against `constraint`, freeing owned tensors before throwing. */
  check(name: string, x: tf.Tensor, constraint: Constraint): void {
    try {
      ensureConstraint(x, constraint, `${this.className}: \`${name}\``);
    } catch (error) {
      tf.dispose(this.owned);
      this.owned.length = 0;
      throw error;
    }
  }

  /** Throws unless `x` has at least `rank` axes (e.g. a vector of logits). */
  minRank(name: string, x: tf.Tensor, rank: number): void {
    if (x.rank < rank) {
      this.fail(
        `${this.className}: \`${name}\` must have at least ${rank} axis${rank === 1 ? '' : 'es'}, got shape ${formatShape(x.shape)}`,
      );
    }
  }

  /**
   * Broadcasts parameters to their common shape (an owned copy only where a shape differs);
   * throws naming every argument when they do not broadcast.
   */
  broadcast<K extends string>(params: Record<K, tf.Tensor>): Record<K, tf.Tensor> {
    const names = Object.keys(params) as K[];
    const shape = broadcastShapes(names.map((name) => params[name].shape));
    if (shape === undefined) {
      const listed = names.map((name) => `\`${name}\` ${formatShape(params[name].shape)}`);
      return this.fail(
        `${this.className}: parameter shapes do not broadcast: ${listed.join(', ')}`,
      );
    }
    const result = {} as Record<K, tf.Tensor>;
    for (const name of names) {
      const x = params[name];
      result[name] = shapesEqual(x.shape, shape) ? x : this.own(tf.broadcastTo(x, shape));
    }
    return result;
  }
}

/** Converts a value (for logProb, cdf, ...) to float32; call inside `tf.tidy`. */
export function toFloat32(value: ParamLike): tf.Tensor {
  if (value instanceof tf.Tensor)
    return value.dtype === 'float32' ? value : tf.cast(value, 'float32');
  return tf.tensor(value, undefined, 'float32');
}
