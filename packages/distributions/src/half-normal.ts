import * as tf from '@tensorflow/tfjs-core';
import { log1p, randomStandardNormal } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, nonNegative, positive, unitInterval } from './internal/constraints.js';
import { erfinvWithLog } from './internal/math.js';
import { erfPositive } from './internal/normal-cdf.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { registerKL } from './kl-registry.js';

/**
 * Options of {@link HalfNormal}: the positive `scale` of the folded normal.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { HalfNormal, type HalfNormalOptions } from '@vae/distributions';
 *
 * const options: HalfNormalOptions = { scale: [0.5, 1] };
 * // scale sqrt(2 / pi):
 * new HalfNormal(options).mean().print(); // -> [0.3989, 0.7979]
 * ```
 */
export interface HalfNormalOptions extends DistributionOptions {
  /** Standard deviation of the N(0, scale^2) that is folded, positive. */
  scale: ParamLike;
}

/**
 * The half-normal distribution, |X| for X ~ N(0, `scale`^2): density
 * sqrt(2 / pi) / scale exp(-x^2 / (2 scale^2)) on x >= 0, batched over the shape of `scale`
 * (event shape `[]`). `rsample` is `scale * |eps|` with `eps ~ N(0, 1)`; `cdf` is
 * erf(x / (scale sqrt 2)) and `icdf` keeps small probabilities precise.
 *
 * `scale` is borrowed: do not dispose it while the distribution is in use.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { HalfNormal } from '@vae/distributions';
 *
 * const prior = new HalfNormal({ scale: 1 });
 * const s = prior.rsample([100], 5); // [100], all >= 0
 * console.log(s.shape); // -> [ 100 ]
 * // The median:
 * prior.icdf(0.5).print(); // -> 0.6745
 * prior.dispose();
 * ```
 */
export class HalfNormal extends Distribution {
  /** The `scale` parameter as a float32 tensor (the scale of the Normal folded at 0). */
  readonly scale: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `scale` (see {@link HalfNormalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: HalfNormalOptions) {
    const scope = new ParamScope('HalfNormal', options);
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
    const eps = randomStandardNormal(this.extendedShape(sampleShape), seed);
    return tf.mul(this.scale, tf.abs(eps));
  }

  /** log(2) + log N(x; 0, scale^2). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(this.checkedValue(value), this.scale);
      const normalizer = tf.sub(0.5 * Math.log(2 / Math.PI), tf.log(this.scale));
      return tf.sub(normalizer, tf.mul(tf.square(z), 0.5));
    });
  }

  /** log(scale sqrt(pi e / 2)). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.add(tf.log(this.scale), 0.5 * Math.log((Math.PI * Math.E) / 2)));
  }

  /** scale sqrt(2 / pi). A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return tf.mul(this.scale, Math.sqrt(2 / Math.PI));
  }

  override mode(): tf.Tensor {
    return tf.zerosLike(this.scale);
  }

  /** scale^2 (1 - 2 / pi). A new tensor; the caller owns (disposes) it. */
  override variance(): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.square(this.scale), 1 - 2 / Math.PI));
  }

  /** erf(x / (scale sqrt 2)), accurate relative to its value near 0 (0 below 0). */
  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.relu(this.checkedValue(value, 'cdf')), this.scale);
      return erfPositive(tf.mul(z, Math.SQRT1_2));
    });
  }

  /** scale sqrt(2) erfinv(p), with erfinv's log term -log((1 - p)(1 + p)) from log1p. */
  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const q = this.checkedValue(p, 'icdf', unitInterval);
      const w = tf.neg(tf.add(log1p(tf.neg(q)), log1p(q)));
      return tf.mul(this.scale, tf.mul(erfinvWithLog(q, w), Math.SQRT2));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): HalfNormal {
    return new HalfNormal({
      scale: map.param(this.scale),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(HalfNormal(s1) || HalfNormal(s2)) = KL(N(0, s1^2) || N(0, s2^2)) = (r - 1 - log r) / 2, r = (s1 / s2)^2. */
function klHalfNormalHalfNormal(p: HalfNormal, q: HalfNormal): tf.Tensor {
  const ratio = tf.square(tf.div(p.scale, q.scale));
  return tf.mul(tf.sub(tf.sub(ratio, 1), tf.log(ratio)), 0.5);
}

registerKL(HalfNormal, HalfNormal, klHalfNormalHalfNormal);
