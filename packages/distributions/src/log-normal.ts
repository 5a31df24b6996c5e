import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import {
  type Constraint,
  nonNegative,
  positiveValue,
  unitInterval,
} from './internal/constraints.js';
import { parseLocScale } from './internal/loc-scale.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { klDivergence, registerKL } from './kl-registry.js';
import { Normal } from './normal.js';

/**
 * Options of {@link LogNormal}: `loc` and `scale` of log(x), broadcast to the batch shape.
 *
 * @example
 * ```ts
 * const options: LogNormalOptions = { loc: 0, scale: 0.25 };
 * ```
 */
export interface LogNormalOptions extends DistributionOptions {
  loc: ParamLike;
  scale: ParamLike;
}

/**
 * The log-normal distribution: x = exp(y) with y ~ N(loc, scale^2), event shape `[]`.
 * `rsample` is `exp(loc + scale * eps)`. `base` is that Normal (sharing the parameters).
 *
 * @example
 * ```ts
 * const sizes = new LogNormal({ loc: 0, scale: 0.5 });
 * const x = sizes.rsample([100], 1); // [100], all positive
 * ```
 */
export class LogNormal extends Distribution {
  readonly loc: tf.Tensor;
  readonly scale: tf.Tensor;
  /** N(loc, scale^2), the distribution of log(x); borrows `loc` and `scale`. */
  readonly base: Normal;

  constructor(options: LogNormalOptions) {
    const scope = new ParamScope('LogNormal', options);
    const { loc, scale } = parseLocScale(scope, options);
    super({ batchShape: loc.shape }, scope);
    this.loc = loc;
    this.scale = scale;
    this.base = new Normal({ loc, scale, validateArgs: false });
  }

  get support(): Constraint {
    return positiveValue;
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return tf.exp(this.base.rsample(sampleShape, seed));
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const logX = tf.log(this.checkedValue(value));
      return tf.sub(this.base.logProb(logX), logX);
    });
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.add(this.base.entropy(), this.loc));
  }

  override get mean(): tf.Tensor {
    return tf.tidy(() => tf.exp(tf.add(this.loc, tf.mul(tf.square(this.scale), 0.5))));
  }

  override get mode(): tf.Tensor {
    return tf.tidy(() => tf.exp(tf.sub(this.loc, tf.square(this.scale))));
  }

  override get variance(): tf.Tensor {
    return tf.tidy(() => {
      const s2 = tf.square(this.scale);
      return tf.mul(tf.expm1(s2), tf.exp(tf.add(tf.mul(this.loc, 2), s2)));
    });
  }

  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => this.base.cdf(tf.log(this.checkedValue(value, 'cdf', nonNegative))));
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => tf.exp(this.base.icdf(this.checkedValue(p, 'icdf', unitInterval))));
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): LogNormal {
    return new LogNormal({
      loc: map.param(this.loc),
      scale: map.param(this.scale),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL between log-normals equals KL between the underlying normals. */
function klLogNormalLogNormal(p: LogNormal, q: LogNormal): tf.Tensor {
  return klDivergence(p.base, q.base);
}

registerKL(LogNormal, LogNormal, klLogNormalLogNormal);
