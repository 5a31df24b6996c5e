import * as tf from '@tensorflow/tfjs-core';
import { expm1 } from '@vae/divergence';
import { Exp } from './bijectors/exp.js';
import type { BatchMapper } from './distribution.js';
import { nonNegative } from './internal/constraints.js';
import { parseLocScale } from './internal/loc-scale.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { klDivergence, registerKL } from './kl-registry.js';
import { Normal } from './normal.js';
import { TransformedDistribution } from './transformed-distribution.js';

/**
 * Options of {@link LogNormal}: `loc` and `scale` of log(x), broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { LogNormal, type LogNormalOptions } from '@vae/distributions';
 *
 * const options: LogNormalOptions = { loc: 0, scale: 0.25 };
 * // exp(loc + scale^2 / 2):
 * new LogNormal(options).mean().print(); // -> 1.0317
 * ```
 */
export interface LogNormalOptions extends DistributionOptions {
  /** Mean of log x, any real. */
  loc: ParamLike;
  /** Standard deviation of log x, positive. */
  scale: ParamLike;
}

/**
 * The log-normal distribution: x = exp(y) with y ~ N(loc, scale^2), event shape `[]`: a
 * `TransformedDistribution` of that Normal through `Exp`, with closed-form moments and
 * entropy. `rsample` is `exp(loc + scale * eps)`. `base` is that Normal (sharing the parameters).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { LogNormal } from '@vae/distributions';
 *
 * const sizes = new LogNormal({ loc: 0, scale: 0.5 });
 * const x = sizes.rsample([100], 1); // [100], all positive
 * console.log(tf.min(x).dataSync()[0]! > 0); // -> true
 * ```
 */
export class LogNormal extends TransformedDistribution {
  /** The `loc` parameter as a float32 tensor, broadcast with the others to the batch shape (the mean of log x). */
  readonly loc: tf.Tensor;
  /** The `scale` parameter as a float32 tensor, broadcast with the others to the batch shape (the standard deviation of log x). */
  readonly scale: tf.Tensor;
  /** N(loc, scale^2), the distribution of log(x); borrows `loc` and `scale`. */
  declare readonly base: Normal;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `scale` (see {@link LogNormalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: LogNormalOptions) {
    const scope = new ParamScope('LogNormal', options);
    const { loc, scale } = parseLocScale(scope, options);
    super(new Normal({ loc, scale, validateArgs: false }), new Exp(), scope);
    this.loc = loc;
    this.scale = scale;
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.add(this.base.entropy(), this.loc));
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => tf.exp(tf.add(this.loc, tf.mul(tf.square(this.scale), 0.5))));
  }

  override mode(): tf.Tensor {
    return tf.tidy(() => tf.exp(tf.sub(this.loc, tf.square(this.scale))));
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const s2 = tf.square(this.scale);
      return tf.mul(expm1(s2), tf.exp(tf.add(tf.mul(this.loc, 2), s2)));
    });
  }

  /** P(X <= value), 0 at value 0 (values must be non-negative). */
  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => super.cdf(this.checkedValue(value, 'cdf', nonNegative)));
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
