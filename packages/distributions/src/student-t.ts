import * as tf from '@tensorflow/tfjs-core';
import { log1p, randomStandardNormal } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { gammaDraw } from './gamma.js';
import { type Constraint, finiteReal, positive, real } from './internal/constraints.js';
import { untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { digamma, lgamma } from './internal/special.js';
import { subSeed } from './internal/special-random.js';

/**
 * Options of {@link StudentT}: degrees of freedom `df`, `loc` and `scale`, broadcast to the
 * batch shape (`loc` defaults to 0 and `scale` to 1).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { StudentT, type StudentTOptions } from '@vae/distributions';
 *
 * const options: StudentTOptions = { df: [1, 4, 30], loc: 0, scale: 2 };
 * // scale^2 df / (df - 2), none for df = 1:
 * new StudentT(options).variance().print(); // -> [NaN, 8, 4.2857]
 * ```
 */
export interface StudentTOptions extends DistributionOptions {
  /** Degrees of freedom, positive. */
  df: ParamLike;
  /** Location (the median and mode), finite; default 0. */
  loc?: ParamLike;
  /** Scale, positive; default 1. */
  scale?: ParamLike;
}

const HALF_LOG_PI = 0.5 * Math.log(Math.PI);

/**
 * Student's t distribution with `df` degrees of freedom, location `loc` and scale `scale`,
 * batched over their broadcast shape (event shape `[]`). `rsample` is
 * `loc + scale * eps / sqrt(Z / df)` with `eps ~ N(0, 1)` and `Z ~ Chi2(df)` drawn as
 * reparameterized Gamma variates, so gradients reach `df` too. `mean` is NaN for df <= 1;
 * `variance` is +Infinity for 1 < df <= 2 and NaN for df <= 1 (as torch). No `cdf`.
 *
 * `df`, `loc` and `scale` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { StudentT } from '@vae/distributions';
 *
 * const t = new StudentT({ df: [3, 30], loc: 0, scale: 1 }); // batchShape [2]
 * const x = t.rsample([1000], 8); // [1000, 2], heavier tails at df 3
 * const logp = t.logProb(x); // [1000, 2]
 * console.log(x.shape, logp.shape); // -> [ 1000, 2 ] [ 1000, 2 ]
 * t.dispose();
 * ```
 */
export class StudentT extends Distribution {
  /** The `df` parameter as a float32 tensor, broadcast with the others to the batch shape (degrees of freedom). */
  readonly df: tf.Tensor;
  /** The `loc` parameter as a float32 tensor, broadcast with the others to the batch shape. */
  readonly loc: tf.Tensor;
  /** The `scale` parameter as a float32 tensor, broadcast with the others to the batch shape. */
  readonly scale: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `df`, `loc`, `scale` (see {@link StudentTOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: StudentTOptions) {
    const scope = new ParamScope('StudentT', options);
    const params = scope.broadcast({
      df: scope.param('df', options.df, positive),
      loc: scope.param('loc', options.loc ?? 0, finiteReal),
      scale: scope.param('scale', options.scale ?? 1, positive),
    });
    super({ batchShape: params.df.shape }, scope);
    this.df = params.df;
    this.loc = params.loc;
    this.scale = params.scale;
  }

  get support(): Constraint {
    return real;
  }

  /** Reparameterized through the normal draw and the implicit gradient of the Gamma draw. */
  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const shape = this.extendedShape(sampleShape);
    const eps = randomStandardNormal(shape, subSeed(seed, 1));
    // Z / df = 2 G / df with G ~ Gamma(df / 2, 1); 1 / sqrt(Z / df) = exp((log df - log 2G) / 2).
    const g = gammaDraw(tf.mul(this.df, 0.5), sampleShape, subSeed(seed, 2));
    const inverseRoot = tf.exp(tf.mul(tf.sub(tf.log(this.df), tf.log(tf.mul(g, 2))), 0.5));
    return tf.add(this.loc, tf.mul(this.scale, tf.mul(eps, inverseRoot)));
  }

  /** -(df + 1) / 2 log1p(y^2 / df) - log(scale) - log(df pi) / 2 - lgamma(df / 2) + lgamma((df + 1) / 2). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const y = tf.div(tf.sub(this.checkedValue(value), this.loc), this.scale);
      const half = tf.mul(this.df, 0.5);
      const normalizer = tf.add(
        tf.add(tf.log(this.scale), tf.mul(tf.log(this.df), 0.5)),
        tf.sub(tf.add(lgamma(half), HALF_LOG_PI), lgamma(tf.add(half, 0.5))),
      );
      const kernel = tf.mul(tf.add(half, 0.5), log1p(tf.div(tf.square(y), this.df)));
      return tf.neg(tf.add(kernel, normalizer));
    });
  }

  /** log(scale) + (df + 1) / 2 (psi((df + 1) / 2) - psi(df / 2)) + log(df) / 2 + log B(df / 2, 1 / 2). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const half = tf.mul(this.df, 0.5);
      const upper = tf.add(half, 0.5);
      const logBeta = tf.sub(tf.add(lgamma(half), HALF_LOG_PI), lgamma(upper)); // lgamma(1/2) = log(pi) / 2
      const spread = tf.mul(upper, tf.sub(digamma(upper), digamma(half)));
      return tf.add(
        tf.add(tf.log(this.scale), spread),
        tf.add(tf.mul(tf.log(this.df), 0.5), logBeta),
      );
    });
  }

  /** `loc` where df > 1, NaN elsewhere. A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return tf.tidy(() => {
      const defined = untaped(() => tf.greater(this.df, 1));
      return tf.where(defined, this.loc, tf.fill(this.batchShape, Number.NaN));
    });
  }

  override mode(): tf.Tensor {
    return this.loc.clone();
  }

  /**
   * scale^2 df / (df - 2) where df > 2, +Infinity for 1 < df <= 2, NaN for df <= 1. A new tensor;
   * the caller owns (disposes) it.
   */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const above2 = untaped(() => tf.greater(this.df, 2));
      const above1 = untaped(() => tf.greater(this.df, 1));
      const safeDf = tf.where(above2, this.df, tf.fill(this.batchShape, 3));
      const finite = tf.div(tf.mul(tf.square(this.scale), safeDf), tf.sub(safeDf, 2));
      const infinite = tf.fill(this.batchShape, Number.POSITIVE_INFINITY);
      const undefinedValue = tf.fill(this.batchShape, Number.NaN);
      return tf.where(above2, finite, tf.where(above1, infinite, undefinedValue));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): StudentT {
    return new StudentT({
      df: map.param(this.df),
      loc: map.param(this.loc),
      scale: map.param(this.scale),
      validateArgs: this.validateArgs,
    });
  }
}
