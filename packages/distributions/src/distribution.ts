import * as tf from '@tensorflow/tfjs-core';
import { checkSeed, stopGradient, tfSeed, VaeError } from '@vae/divergence';
import type { Constraint } from './internal/constraints.js';
import type { ParamLike, ParamScope } from './internal/params.js';
import { toFloat32 } from './internal/params.js';
import { broadcastShapes, formatShape, isShape } from './internal/shapes.js';
import { ensureConstraint } from './internal/validate.js';

/**
 * The shapes a family hands to the base constructor.
 *
 * @example
 * ```ts
 * super({ batchShape: logits.shape.slice(0, -1), eventShape: logits.shape.slice(-1) }, scope);
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
 * `entropy()` is `[...batch]`; `mean`, `variance`, `stddev`, `mode` are `[...batch, ...event]`.
 * Every method returns a new tensor the caller owns and frees its intermediates.
 *
 * @example
 * ```ts
 * class Dirac extends Distribution {
 *   constructor(readonly loc: tf.Tensor) {
 *     super({ batchShape: loc.shape }, new ParamScope('Dirac'));
 *   }
 *   get support() { return real; }
 *   logProb(value: ParamLike) {
 *     return tf.tidy(() => tf.log(tf.cast(tf.equal(this.checkedValue(value), this.loc), 'float32')));
 *   }
 *   protected draw(sampleShape: number[]) {
 *     return tf.broadcastTo(this.loc, this.extendedShape(sampleShape));
 *   }
 * }
 * ```
 */
export abstract class Distribution {
  readonly batchShape: number[];
  readonly eventShape: number[];
  /** Whether construction and `logProb` check their arguments (reading data back). */
  readonly validateArgs: boolean;
  /** Class name used in messages (survives minification, unlike `constructor.name`). */
  protected readonly className: string;
  /** Tensors this distribution created and frees in `dispose()`. */
  protected readonly owned: tf.Tensor[];

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

  /** Mean `[...batch, ...event]` (a new tensor on every access). */
  get mean(): tf.Tensor {
    return this.unsupported('mean');
  }

  /** Variance `[...batch, ...event]` (a new tensor on every access). */
  get variance(): tf.Tensor {
    return this.unsupported('variance');
  }

  /** Standard deviation `[...batch, ...event]`, the square root of `variance`. */
  get stddev(): tf.Tensor {
    return tf.tidy(() => tf.sqrt(this.variance));
  }

  /** Mode `[...batch, ...event]` (a new tensor on every access). */
  get mode(): tf.Tensor {
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
