import * as tf from '@tensorflow/tfjs-core';
import { checkSeed, stopGradient, tfSeed, VaeError } from '@vae/divergence';
import {
  type BatchMapper,
  type BatchOperation,
  expandOperation,
  indexOperation,
  mapDistribution,
  sliceOperation,
} from './internal/batch-ops.js';
import type { Constraint } from './internal/constraints.js';
import type { ParamLike, ParamScope } from './internal/params.js';
import { toFloat32 } from './internal/params.js';
import { broadcastShapes, formatShape, isShape } from './internal/shapes.js';
import { ensureConstraint } from './internal/validate.js';

export type { BatchMapper } from './internal/batch-ops.js';

/**
 * The shapes a family hands to the base constructor.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import {
 *   constraints,
 *   Distribution,
 *   type DistributionShapes,
 *   type ParamLike,
 *   ParamScope,
 * } from '@vae/distributions';
 *
 * // One draw is a whole vector of `logits.shape.at(-1)` entries: event shape `[K]`.
 * class SoftmaxPoint extends Distribution {
 *   readonly logits: tf.Tensor;
 *   constructor(logits: ParamLike) {
 *     const scope = new ParamScope('SoftmaxPoint');
 *     const param = scope.param('logits', logits, constraints.finiteReal);
 *     const shapes: DistributionShapes = {
 *       batchShape: param.shape.slice(0, -1),
 *       eventShape: param.shape.slice(-1),
 *     };
 *     super(shapes, scope);
 *     this.logits = param;
 *   }
 *   get support() {
 *     return constraints.simplex;
 *   }
 *   logProb(value: ParamLike) {
 *     return tf.tidy(() => {
 *       const hit = tf.all(tf.equal(this.checkedValue(value), tf.softmax(this.logits)), -1);
 *       return tf.log(tf.cast(hit, 'float32'));
 *     });
 *   }
 *   protected draw(sampleShape: number[]) {
 *     return tf.broadcastTo(tf.softmax(this.logits), this.extendedShape(sampleShape));
 *   }
 * }
 * const point = new SoftmaxPoint([[0, 0], [1, 2]]);
 * console.log(point.batchShape, point.eventShape); // -> [ 2 ] [ 2 ]
 * ```
 */
export interface DistributionShapes {
  /** Independent, not identically distributed axes, e.g. `[batch, latentDim]` for a factorized Normal. */
  batchShape: readonly number[];
  /** Axes of one draw, `[]` for scalar families, `[K]` for a one-hot vector. */
  eventShape?: readonly number[];
}

/**
 * The base of every family, following torch.distributions and distrax: a subclass provides
 * `draw` (its sampler), `logProb`, `support` and whatever moments it has; the base builds
 * `sample` (no gradient), `rsample` (only where `hasRsample`), `stddev` from `variance`,
 * shape checks, support checks of values and `dispose`.
 *
 * Shapes: `sample(sampleShape)` is `[...sampleShape, ...batchShape, ...eventShape]`;
 * `logProb(value)` maps `[...sample, ...batch, ...event]` to `[...sample, ...batch]`;
 * `entropy()` is `[...batch]`; `mean()`, `variance()`, `stddev()`, `mode()` are
 * `[...batch, ...event]`. Every method returns a new tensor the caller owns and frees its
 * intermediates; fields borrow, and no getter allocates.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { constraints, Distribution, type ParamLike, ParamScope } from '@vae/distributions';
 *
 * class Dirac extends Distribution {
 *   constructor(readonly loc: tf.Tensor) {
 *     super({ batchShape: loc.shape }, new ParamScope('Dirac'));
 *   }
 *   get support() {
 *     return constraints.real;
 *   }
 *   logProb(value: ParamLike) {
 *     return tf.tidy(() => tf.log(tf.cast(tf.equal(this.checkedValue(value), this.loc), 'float32')));
 *   }
 *   protected draw(sampleShape: number[]) {
 *     return tf.broadcastTo(this.loc, this.extendedShape(sampleShape));
 *   }
 * }
 * const dirac = new Dirac(tf.tensor1d([1, 2]));
 * dirac.sample([2]).print(); // -> [[1, 2], [1, 2]]
 * dirac.logProb([1, 3]).print(); // -> [0, -Infinity]
 * ```
 */
export abstract class Distribution {
  /** Independent, not identically distributed axes: `[...batch]` of `sample(sampleShape)`, `[...sampleShape, ...batch, ...event]`. */
  readonly batchShape: number[];
  /** The shape of one draw: `[]` for a scalar family, `[d]` for a vector one; `logProb` sums over it. */
  readonly eventShape: number[];
  /** Whether construction and `logProb` check their arguments (reading data back). */
  readonly validateArgs: boolean;
  /** Class name used in messages (survives minification, unlike `constructor.name`). */
  protected readonly className: string;
  /** Tensors this distribution created and frees in `dispose()`. */
  protected readonly owned: tf.Tensor[];
  /** Distributions built for this one by a batch operation (`expand`, ...), freed in `dispose()`. */
  private readonly adopted: Distribution[] = [];

  /**
   * Called by a subclass with its shapes and the scope that built its parameters.
   *
   * @param shapes - `batchShape` and `eventShape` (default `[]`) of the family.
   * @param scope - The {@link ParamScope} the parameters were built with: the tensors it
   *   recorded are freed by `dispose()`, its class name is used in messages.
   */
  protected constructor(shapes: DistributionShapes, scope: ParamScope) {
    this.batchShape = [...shapes.batchShape];
    this.eventShape = [...(shapes.eventShape ?? [])];
    this.validateArgs = scope.validate;
    this.className = scope.className;
    this.owned = scope.owned;
  }

  /** The set of values with positive density (used to check `logProb` values). */
  abstract get support(): Constraint;

  /** True where `rsample` exists (gradients flow from samples to parameters). */
  get hasRsample(): boolean {
    return false;
  }

  /**
   * Draws `[...sampleShape, ...batch, ...event]`; reparameterized where `hasRsample`.
   * `seed` is already a tfjs seed (`tfSeed` of the user's, never 0) or undefined.
   */
  protected abstract draw(sampleShape: number[], seed: number | undefined): tf.Tensor;

  /** Log density (or mass) of `value` `[...sample, ...batch, ...event]` -> `[...sample, ...batch]`. */
  abstract logProb(value: ParamLike): tf.Tensor;

  /**
   * Draws samples `[...sampleShape, ...batch, ...event]` with no gradient to the parameters.
   * A `seed` makes the draw repeatable.
   */
  sample(sampleShape: number[] = [], seed?: number): tf.Tensor {
    this.checkSampleShape('sample', sampleShape);
    checkSeed(`${this.className}.sample`, seed);
    return tf.tidy(() => stopGradient(this.draw(sampleShape, tfSeed(seed))));
  }

  /**
   * Reparameterized samples `[...sampleShape, ...batch, ...event]`: gradients flow to the
   * parameters. Throws `NOT_REPARAMETERIZABLE` where the family has none.
   */
  rsample(sampleShape: number[] = [], seed?: number): tf.Tensor {
    if (!this.hasRsample) {
      throw new VaeError(
        'NOT_REPARAMETERIZABLE',
        `${this.className}.rsample: the family has no reparameterized sampler; use sample() (no gradient) or a relaxed family`,
      );
    }
    this.checkSampleShape('rsample', sampleShape);
    checkSeed(`${this.className}.rsample`, seed);
    return tf.tidy(() => this.draw(sampleShape, tfSeed(seed)));
  }

  /** Entropy `[...batch]` in nats. */
  entropy(): tf.Tensor {
    return this.unsupported('entropy');
  }

  /** Mean `[...batch, ...event]`: a new tensor; the caller owns (disposes) it. */
  mean(): tf.Tensor {
    return this.unsupported('mean');
  }

  /** Variance `[...batch, ...event]`: a new tensor; the caller owns (disposes) it. */
  variance(): tf.Tensor {
    return this.unsupported('variance');
  }

  /**
   * Standard deviation `[...batch, ...event]`, the square root of `variance()`: a new tensor;
   * the caller owns (disposes) it.
   */
  stddev(): tf.Tensor {
    return tf.tidy(() => tf.sqrt(this.variance()));
  }

  /** Mode `[...batch, ...event]`: a new tensor; the caller owns (disposes) it. */
  mode(): tf.Tensor {
    return this.unsupported('mode');
  }

  /** Cumulative distribution function where the family defines one. */
  cdf(_value: ParamLike): tf.Tensor {
    return this.unsupported('cdf');
  }

  /** Inverse of `cdf` where the family defines one. */
  icdf(_p: ParamLike): tf.Tensor {
    return this.unsupported('icdf');
  }

  /** Frees the tensors this distribution created; never the caller's tensors. Idempotent. */
  dispose(): void {
    tf.dispose(this.owned);
    this.owned.length = 0;
    for (const inner of this.adopted.splice(0)) inner.dispose();
  }

  // ---- Batch-shape operations: expand, slice, index (issue 12) ----

  /**
   * The same family with every parameter passed through `map` (which `expand`, `slice` and
   * `index` build): a family that supports batch operations overrides this and rebuilds itself
   * from `map.param(tensor, eventRank)` for each parameter and `map.child(d, extraBatchAxes)`
   * for each distribution it is built on. The base returns `undefined`: not supported.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import '@tensorflow/tfjs-backend-cpu';
   * import {
   *   type BatchMapper,
   *   constraints,
   *   Distribution,
   *   type DistributionOptions,
   *   type ParamLike,
   *   ParamScope,
   * } from '@vae/distributions';
   *
   * // The Rayleigh distribution: density x / scale^2 exp(-x^2 / (2 scale^2)) on [0, ∞).
   * class Rayleigh extends Distribution {
   *   readonly scale: tf.Tensor;
   *   constructor(options: { scale: ParamLike } & DistributionOptions) {
   *     const scope = new ParamScope('Rayleigh', options);
   *     const scale = scope.param('scale', options.scale, constraints.positive);
   *     super({ batchShape: scale.shape }, scope);
   *     this.scale = scale;
   *   }
   *   get support() {
   *     return constraints.nonNegative;
   *   }
   *   logProb(value: ParamLike) {
   *     return tf.tidy(() => {
   *       const x = this.checkedValue(value);
   *       const z = tf.div(x, this.scale);
   *       return tf.sub(tf.sub(tf.log(z), tf.log(this.scale)), tf.mul(0.5, tf.square(z)));
   *     });
   *   }
   *   protected draw(sampleShape: number[], seed: number | undefined) {
   *     const u = tf.randomUniform(this.extendedShape(sampleShape), 0, 1, 'float32', seed);
   *     return tf.mul(this.scale, tf.sqrt(tf.mul(-2, tf.log1p(tf.neg(u)))));
   *   }
   *   protected override mapBatch(map: BatchMapper): Rayleigh {
   *     return new Rayleigh({ scale: map.param(this.scale), validateArgs: this.validateArgs });
   *   }
   * }
   * const rayleigh = new Rayleigh({ scale: [1, 2, 3] });
   * const last = rayleigh.index(-1); // batch []: needs mapBatch
   * // log(3 / 3^2) - 1 / 2:
   * last.logProb(3).print(); // -> -1.5986
   * ```
   */
  protected mapBatch(_map: BatchMapper): Distribution | undefined {
    return undefined;
  }

  /**
   * A new distribution of the same family with batch shape `batchShape`, which the current
   * batch shape must broadcast to (torch's `expand`): `Normal` of batch `[3]` expanded to
   * `[2, 3]` holds two copies of its three members. Shapes: `[...batch, ...event]` parameters
   * become `[...batchShape, ...event]`.
   *
   * Ownership: the result owns its tensors (broadcast copies, or clones sharing the data of
   * parameters that need none) and is independent of this one: dispose both. Throws
   * `UNSUPPORTED` for a family without batch operations.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import '@tensorflow/tfjs-backend-cpu';
   * import { Normal } from '@vae/distributions';
   *
   * const prior = new Normal({ loc: 0, scale: 1 }); // batch []
   * const batched = prior.expand([32, 16]); // batch [32, 16]
   * const z = tf.zeros([32, 16]);
   * const logp = batched.logProb(z); // [32, 16]
   * console.log(batched.batchShape, logp.shape); // -> [ 32, 16 ] [ 32, 16 ]
   * batched.dispose();
   * prior.dispose();
   * ```
   */
  expand(batchShape: number[]): this {
    const where = `${this.className}.expand`;
    return this.runBatchOperation(expandOperation(where, this.batchShape, batchShape));
  }

  /**
   * The sub-batch `[begin, begin + size)` along the leading batch axes, like `tf.slice` on
   * the batch axes only: `begin` and `size` list one entry per leading batch axis they cover
   * (fewer than the batch rank leaves the rest whole), `size` -1 (or omitted) runs to the end.
   * Every batch axis is kept; use {@link index} to drop one. The result owns its tensors.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import '@tensorflow/tfjs-backend-cpu';
   * import { Normal } from '@vae/distributions';
   *
   * const d = new Normal({ loc: tf.zeros([8, 4]), scale: 1 }); // batch [8, 4]
   * const firstTwo = d.slice([0], [2]); // batch [2, 4]
   * const corner = d.slice([6, 1], [2, -1]); // batch [2, 3]
   * console.log(firstTwo.batchShape, corner.batchShape); // -> [ 2, 4 ] [ 2, 3 ]
   * ```
   */
  slice(begin: number[], size?: number[]): this {
    const where = `${this.className}.slice`;
    return this.runBatchOperation(sliceOperation(where, this.batchShape, { begin, size }));
  }

  /**
   * Batch member `index` along batch axis `axis` (default 0), which disappears from the batch
   * shape, like `x[i]` on an array; negative indices count from the end. The result owns its
   * tensors.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import '@tensorflow/tfjs-backend-cpu';
   * import { Normal } from '@vae/distributions';
   *
   * const d = new Normal({ loc: tf.zeros([8, 4]), scale: 1 }); // batch [8, 4]
   * const row = d.index(3); // batch [4]
   * const column = d.index(-1, 1); // batch [8]
   * console.log(row.batchShape, column.batchShape); // -> [ 4 ] [ 8 ]
   * ```
   */
  index(index: number, axis = 0): this {
    const where = `${this.className}.index`;
    return this.runBatchOperation(indexOperation(where, this.batchShape, { index, axis }));
  }

  /** Builds the mapped distribution and hands it every tensor and distribution made for it. */
  private runBatchOperation(operation: BatchOperation): this {
    const rebuild = (d: Distribution, map: BatchMapper) => d.mapBatch(map);
    const unsupported = (d: Distribution) => d.unsupported(operation.method);
    const built = mapDistribution(this, operation, { rebuild, unsupported });
    const result = built.result;
    if (result.constructor !== this.constructor) {
      built.release();
      return this.unsupported(operation.method);
    }
    result.owned.push(...built.tensors);
    result.adopted.push(...built.children);
    return result as this;
  }

  /** `[...sampleShape, ...batchShape, ...eventShape]`. */
  protected extendedShape(sampleShape: readonly number[] = []): number[] {
    return [...sampleShape, ...this.batchShape, ...this.eventShape];
  }

  /**
   * Converts `value` to float32 and, with `validateArgs`, checks that it broadcasts against
   * `[...batch, ...event]` and lies in `support`. Call inside `tf.tidy`.
   */
  protected checkedValue(value: ParamLike, method = 'logProb', support?: Constraint): tf.Tensor {
    const x = toFloat32(value);
    if (!this.validateArgs) return x;
    const where = `${this.className}.${method}`;
    const full = this.extendedShape();
    if (x.rank < this.eventShape.length || broadcastShapes([x.shape, full]) === undefined) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `${where}: \`value\` of shape ${formatShape(x.shape)} does not broadcast against [...batch, ...event] = ${formatShape(full)}`,
      );
    }
    ensureConstraint(x, support ?? this.support, `${where}: \`value\``);
    return x;
  }

  /** Throws `UNSUPPORTED` naming the class and the member. */
  protected unsupported(member: string): never {
    throw new VaeError('UNSUPPORTED', `${this.className}.${member}: not defined for this family`);
  }

  private checkSampleShape(method: string, sampleShape: unknown): void {
    if (!isShape(sampleShape)) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `${this.className}.${method}: \`sampleShape\` must be an array of non-negative integers, got ${JSON.stringify(sampleShape)}`,
      );
    }
  }
}
