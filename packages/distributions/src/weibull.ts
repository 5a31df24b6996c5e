import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, positive, positiveValue, unitInterval } from './internal/constraints.js';
import { EULER_GAMMA, openUniform, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { lgamma } from './internal/special.js';

/**
 * Options of {@link Weibull}: `scale` (lambda) and `concentration` (k), broadcast to the batch
 * shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Weibull, type WeibullOptions } from '@vae/distributions';
 *
 * const options: WeibullOptions = { scale: 2, concentration: [0.5, 1.5] };
 * // The scale is the 63.2% quantile:
 * new Weibull(options).icdf(1 - Math.exp(-1)).print(); // -> [2, 2]
 * ```
 */
export interface WeibullOptions extends DistributionOptions {
  /** Scale lambda, positive. */
  scale: ParamLike;
  /** Shape k, positive (k = 1 is the exponential with rate 1 / lambda). */
  concentration: ParamLike;
}

/**
 * The two-parameter Weibull distribution with cdf 1 - exp(-(x / scale)^concentration) on x > 0,
 * batched over the broadcast shape of `scale` and `concentration` (event shape `[]`).
 * `rsample` is `scale * (-log u)^(1 / concentration)` with `u ~ U(0, 1)`. The mode is 0 for
 * concentration <= 1 (where the density is largest at 0).
 *
 * `scale` and `concentration` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Weibull } from '@vae/distributions';
 *
 * const lifetimes = new Weibull({ scale: [1, 3], concentration: 1.5 }); // batchShape [2]
 * const t = lifetimes.rsample([1000], 9); // [1000, 2]
 * const survival = tf.sub(1, lifetimes.cdf(t)); // [1000, 2]
 * console.log(survival.shape); // -> [ 1000, 2 ]
 * lifetimes.dispose();
 * ```
 */
export class Weibull extends Distribution {
  /** The `scale` parameter as a float32 tensor, broadcast with the others to the batch shape (lambda). */
  readonly scale: tf.Tensor;
  /** The `concentration` parameter as a float32 tensor, broadcast with the others to the batch shape (k, the shape). */
  readonly concentration: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `scale`, `concentration` (see {@link WeibullOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: WeibullOptions) {
    const scope = new ParamScope('Weibull', options);
    const params = scope.broadcast({
      scale: scope.param('scale', options.scale, positive),
      concentration: scope.param('concentration', options.concentration, positive),
    });
    super({ batchShape: params.scale.shape }, scope);
    this.scale = params.scale;
    this.concentration = params.concentration;
  }

  get support(): Constraint {
    return positiveValue;
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = openUniform(this.extendedShape(sampleShape), seed);
    return this.quantileOfLogSurvival(tf.log(u));
  }

  /** scale (-logSurvival)^(1 / k): the value whose survival function is exp(logSurvival). */
  private quantileOfLogSurvival(logSurvival: tf.Tensor): tf.Tensor {
    const logE = tf.log(tf.neg(logSurvival));
    return tf.mul(this.scale, tf.exp(tf.div(logE, this.concentration)));
  }

  /** log(k / lambda) + (k - 1) log(x / lambda) - (x / lambda)^k. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const logZ = tf.log(tf.div(this.checkedValue(value), this.scale));
      const k = this.concentration;
      const head = tf.add(tf.log(tf.div(k, this.scale)), tf.mul(tf.sub(k, 1), logZ));
      return tf.sub(head, tf.exp(tf.mul(k, logZ)));
    });
  }

  /** gamma (1 - 1 / k) + log(lambda / k) + 1. */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const inverse = tf.reciprocal(this.concentration);
      const t1 = tf.mul(tf.sub(1, inverse), EULER_GAMMA);
      return tf.add(tf.add(t1, tf.log(tf.mul(this.scale, inverse))), 1);
    });
  }

  /** lambda Gamma(1 + 1 / k). A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return tf.tidy(() =>
      tf.mul(this.scale, tf.exp(lgamma(tf.add(tf.reciprocal(this.concentration), 1)))),
    );
  }

  /**
   * lambda ((k - 1) / k)^(1 / k) for k > 1, 0 for k <= 1. A new tensor; the caller owns (disposes)
   * it.
   */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const k = this.concentration;
      const above = untaped(() => tf.greater(k, 1));
      const safeK = tf.where(above, k, tf.fill(this.batchShape, 2));
      const interior = tf.mul(
        this.scale,
        tf.pow(tf.div(tf.sub(safeK, 1), safeK), tf.reciprocal(safeK)),
      );
      return tf.where(above, interior, tf.zerosLike(k));
    });
  }

  /**
   * lambda^2 (Gamma(1 + 2 / k) - Gamma(1 + 1 / k)^2), as Gamma(1 + 1/k)^2 expm1(difference of
   * lgammas). A new tensor; the caller owns (disposes) it.
   */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const inverse = tf.reciprocal(this.concentration);
      const once = lgamma(tf.add(inverse, 1));
      const twice = lgamma(tf.add(tf.mul(inverse, 2), 1));
      const squaredMean = tf.exp(tf.mul(once, 2));
      return tf.mul(
        tf.mul(tf.square(this.scale), squaredMean),
        expm1(tf.sub(twice, tf.mul(once, 2))),
      );
    });
  }

  /** -expm1(-(x / lambda)^k) (0 below 0). */
  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.relu(this.checkedValue(value, 'cdf')), this.scale);
      return tf.neg(expm1(tf.neg(tf.pow(z, this.concentration))));
    });
  }

  /** lambda (-log1p(-p))^(1 / k). */
  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const q = this.checkedValue(p, 'icdf', unitInterval);
      return this.quantileOfLogSurvival(log1p(tf.neg(q)));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Weibull {
    return new Weibull({
      scale: map.param(this.scale),
      concentration: map.param(this.concentration),
      validateArgs: this.validateArgs,
    });
  }
}
