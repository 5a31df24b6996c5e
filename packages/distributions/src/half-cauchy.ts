import * as tf from '@tensorflow/tfjs-core';
import { log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { tanAccurate } from './internal/cauchy-math.js';
import { type Constraint, nonNegative, positive, unitInterval } from './internal/constraints.js';
import { openUniform, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { registerKL } from './kl-registry.js';

/**
 * Options of {@link HalfCauchy}: the positive `scale` of the folded Cauchy.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { HalfCauchy, type HalfCauchyOptions } from '@vae/distributions';
 *
 * const options: HalfCauchyOptions = { scale: [1, 2.5] };
 * // The median is the scale:
 * new HalfCauchy(options).icdf(0.5).print(); // -> [1, 2.5]
 * ```
 */
export interface HalfCauchyOptions extends DistributionOptions {
  /** Scale of the Cauchy(0, scale) that is folded, positive. */
  scale: ParamLike;
}

/** The quantile of the standard half-Cauchy, tan(pi p / 2): 1 / tan(pi (1 - p) / 2) above 1/2. */
function halfCauchyQuantile(p: tf.Tensor): tf.Tensor {
  const upper = untaped(() => tf.greater(p, 0.5));
  const half = tf.fill(p.shape, 0.5);
  const lower = tanAccurate(tf.mul(tf.where(upper, half, p), Math.PI / 2));
  const above = tf.reciprocal(
    tanAccurate(tf.mul(tf.sub(1, tf.where(upper, p, half)), Math.PI / 2)),
  );
  const value = tf.where(upper, above, lower);
  return tf.where(
    untaped(() => tf.equal(p, 1)),
    tf.fill(p.shape, Number.POSITIVE_INFINITY),
    value,
  );
}

/**
 * The half-Cauchy distribution, |X| for X ~ Cauchy(0, `scale`): density
 * 2 / (pi scale (1 + (x / scale)^2)) on x >= 0, batched over the shape of `scale` (event shape
 * `[]`). Its `mean` and `variance` are +Infinity; `rsample` is `scale * tan(pi u / 2)`.
 *
 * `scale` is borrowed: do not dispose it while the distribution is in use.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { HalfCauchy } from '@vae/distributions';
 *
 * const prior = new HalfCauchy({ scale: 2.5 }); // a weakly informative prior on a scale
 * const s = prior.rsample([100], 4); // [100], all >= 0
 * const logp = prior.logProb(s); // [100]
 * console.log(tf.min(s).dataSync()[0]! >= 0); // -> true
 * console.log(logp.shape); // -> [ 100 ]
 * prior.dispose();
 * ```
 */
export class HalfCauchy extends Distribution {
  /** The `scale` parameter as a float32 tensor (the median). */
  readonly scale: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `scale` (see {@link HalfCauchyOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: HalfCauchyOptions) {
    const scope = new ParamScope('HalfCauchy', options);
    const scale = scope.param('scale', options.scale, positive);
    super({ batchShape: scale.shape }, scope);
    this.scale = scale;
  }

  get support(): Constraint {
    return nonNegative;
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = openUniform(this.extendedShape(sampleShape), seed);
    return tf.mul(this.scale, halfCauchyQuantile(u));
  }

  /** log(2 / pi) - log(scale) - log1p((x / scale)^2). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(this.checkedValue(value), this.scale);
      return tf.sub(tf.sub(Math.log(2 / Math.PI), tf.log(this.scale)), log1p(tf.square(z)));
    });
  }

  /** log(2 pi scale). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.add(tf.log(this.scale), Math.log(2 * Math.PI)));
  }

  /** +Infinity. A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return tf.fill(this.batchShape, Number.POSITIVE_INFINITY);
  }

  override mode(): tf.Tensor {
    return tf.zerosLike(this.scale);
  }

  /** +Infinity. A new tensor; the caller owns (disposes) it. */
  override variance(): tf.Tensor {
    return tf.fill(this.batchShape, Number.POSITIVE_INFINITY);
  }

  /** (2 / pi) atan(x / scale) (0 below 0). */
  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.relu(this.checkedValue(value, 'cdf')), this.scale);
      return tf.mul(tf.atan(z), 2 / Math.PI);
    });
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() =>
      tf.mul(this.scale, halfCauchyQuantile(this.checkedValue(p, 'icdf', unitInterval))),
    );
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): HalfCauchy {
    return new HalfCauchy({
      scale: map.param(this.scale),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(HalfCauchy(s1) || HalfCauchy(s2)) = KL(Cauchy(0, s1) || Cauchy(0, s2)) = 2 log(s1 + s2) - log(4 s1 s2). */
function klHalfCauchyHalfCauchy(p: HalfCauchy, q: HalfCauchy): tf.Tensor {
  return tf.sub(
    tf.mul(tf.log(tf.add(p.scale, q.scale)), 2),
    tf.log(tf.mul(tf.mul(p.scale, q.scale), 4)),
  );
}

registerKL(HalfCauchy, HalfCauchy, klHalfCauchyHalfCauchy);
