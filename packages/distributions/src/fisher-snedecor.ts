import * as tf from '@tensorflow/tfjs-core';
import { log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { gammaDraw } from './gamma.js';
import { type Constraint, positive, positiveValue } from './internal/constraints.js';
import { untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { digamma, lgamma, logBeta } from './internal/special.js';
import { subSeed } from './internal/special-random.js';

/**
 * Options of {@link FisherSnedecor}: the two degrees of freedom, broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { FisherSnedecor, type FisherSnedecorOptions } from '@vae/distributions';
 *
 * const options: FisherSnedecorOptions = { df1: [1, 5], df2: 10 };
 * // df2 / (df2 - 2):
 * new FisherSnedecor(options).mean().print(); // -> [1.25, 1.25]
 * ```
 */
export interface FisherSnedecorOptions extends DistributionOptions {
  /** Degrees of freedom of the numerator, positive. */
  df1: ParamLike;
  /** Degrees of freedom of the denominator, positive. */
  df2: ParamLike;
}

const TINY = 1.1754943508222875e-38; // smallest normal float32 (torch clamps draws there too)

/**
 * The Fisher-Snedecor (F) distribution: (X1 / df1) / (X2 / df2) for X1 ~ Chi2(df1),
 * X2 ~ Chi2(df2), on x > 0, batched over the broadcast shape of `df1` and `df2` (event shape
 * `[]`). `rsample` divides reparameterized Gamma draws (in log space), so gradients reach both
 * degrees of freedom. `mean` is NaN for df2 <= 2, `variance` NaN for df2 <= 4 and `mode` NaN
 * for df1 <= 2, as in torch. `entropy` is the closed form (torch has none).
 *
 * `df1` and `df2` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { FisherSnedecor } from '@vae/distributions';
 *
 * const f = new FisherSnedecor({ df1: 5, df2: [10, 40] }); // batchShape [2]
 * const x = f.rsample([1000], 6); // [1000, 2], all positive
 * const logp = f.logProb(x); // [1000, 2]
 * console.log(tf.min(x).dataSync()[0]! > 0); // -> true
 * console.log(logp.shape); // -> [ 1000, 2 ]
 * f.dispose();
 * ```
 */
export class FisherSnedecor extends Distribution {
  /** The `df1` parameter as a float32 tensor, broadcast with the others to the batch shape (numerator degrees of freedom). */
  readonly df1: tf.Tensor;
  /** The `df2` parameter as a float32 tensor, broadcast with the others to the batch shape (denominator degrees of freedom). */
  readonly df2: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `df1`, `df2` (see {@link FisherSnedecorOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: FisherSnedecorOptions) {
    const scope = new ParamScope('FisherSnedecor', options);
    const params = scope.broadcast({
      df1: scope.param('df1', options.df1, positive),
      df2: scope.param('df2', options.df2, positive),
    });
    super({ batchShape: params.df1.shape }, scope);
    this.df1 = params.df1;
    this.df2 = params.df2;
  }

  get support(): Constraint {
    return positiveValue;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** exp(log G1 - log G2 + log(df2 / df1)) with G_i ~ Gamma(df_i / 2, 1), clamped at 1.2e-38. */
  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const g1 = gammaDraw(tf.mul(this.df1, 0.5), sampleShape, subSeed(seed, 1));
    const g2 = gammaDraw(tf.mul(this.df2, 0.5), sampleShape, subSeed(seed, 2));
    const logRatio = tf.add(tf.sub(tf.log(g1), tf.log(g2)), tf.log(tf.div(this.df2, this.df1)));
    return tf.maximum(tf.exp(logRatio), TINY);
  }

  /** lgamma terms + (d1 / 2) log(d1 / d2) + (d1 / 2 - 1) log x - ((d1 + d2) / 2) log1p(d1 x / d2). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const a = tf.mul(this.df1, 0.5);
      const b = tf.mul(this.df2, 0.5);
      const ratio = tf.div(this.df1, this.df2);
      const t1 = tf.neg(logBeta(a, b));
      const t2 = tf.add(tf.mul(a, tf.log(ratio)), tf.mul(tf.sub(a, 1), tf.log(x)));
      const t3 = tf.mul(tf.add(a, b), log1p(tf.mul(ratio, x)));
      return tf.sub(tf.add(t1, t2), t3);
    });
  }

  /** log B(a, b) + (1 - a) psi(a) - (1 + b) psi(b) + (a + b) psi(a + b) + log(d2 / d1), a = d1 / 2, b = d2 / 2. */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const a = tf.mul(this.df1, 0.5);
      const b = tf.mul(this.df2, 0.5);
      const total = tf.add(a, b);
      const t1 = tf.sub(tf.mul(tf.sub(1, a), digamma(a)), tf.mul(tf.add(1, b), digamma(b)));
      const t2 = tf.add(tf.mul(total, digamma(total)), tf.log(tf.div(this.df2, this.df1)));
      const logB = tf.sub(tf.add(lgamma(a), lgamma(b)), lgamma(total));
      return tf.add(tf.add(logB, t1), t2);
    });
  }

  /** df2 / (df2 - 2) where df2 > 2, NaN elsewhere. A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return tf.tidy(() => {
      const defined = untaped(() => tf.greater(this.df2, 2));
      const safe = tf.where(defined, this.df2, tf.fill(this.batchShape, 3));
      return tf.where(defined, tf.div(safe, tf.sub(safe, 2)), tf.fill(this.batchShape, Number.NaN));
    });
  }

  /**
   * (df1 - 2) / df1 * df2 / (df2 + 2) where df1 > 2, NaN elsewhere. A new tensor; the caller owns
   * (disposes) it.
   */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const defined = untaped(() => tf.greater(this.df1, 2));
      const value = tf.mul(
        tf.div(tf.sub(this.df1, 2), this.df1),
        tf.div(this.df2, tf.add(this.df2, 2)),
      );
      return tf.where(defined, value, tf.fill(this.batchShape, Number.NaN));
    });
  }

  /**
   * 2 df2^2 (df1 + df2 - 2) / (df1 (df2 - 2)^2 (df2 - 4)) where df2 > 4, NaN elsewhere. A new
   * tensor; the caller owns (disposes) it.
   */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const defined = untaped(() => tf.greater(this.df2, 4));
      const d2 = tf.where(defined, this.df2, tf.fill(this.batchShape, 5));
      const numerator = tf.mul(tf.mul(tf.square(d2), 2), tf.sub(tf.add(this.df1, d2), 2));
      const denominator = tf.mul(tf.mul(this.df1, tf.square(tf.sub(d2, 2))), tf.sub(d2, 4));
      return tf.where(
        defined,
        tf.div(numerator, denominator),
        tf.fill(this.batchShape, Number.NaN),
      );
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): FisherSnedecor {
    return new FisherSnedecor({
      df1: map.param(this.df1),
      df2: map.param(this.df2),
      validateArgs: this.validateArgs,
    });
  }
}
