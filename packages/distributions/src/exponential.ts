import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import {
  type Constraint,
  nonNegative,
  positive,
  real,
  unitInterval,
} from './internal/constraints.js';
import { infiniteKl } from './internal/infinite-kl.js';
import { openUniform, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { registerKL } from './kl-registry.js';
import { Normal } from './normal.js';
import { Uniform } from './uniform.js';

/**
 * Options of {@link Exponential}: positive `rate`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Exponential, type ExponentialOptions } from '@vae/distributions';
 *
 * const options: ExponentialOptions = { rate: [0.5, 2] };
 * new Exponential(options).mean().print(); // -> [2, 0.5]
 * ```
 */
export interface ExponentialOptions extends DistributionOptions {
  /** Rate lambda, positive (the mean is 1 / rate). */
  rate: ParamLike;
}

/**
 * The exponential distribution with density rate * exp(-rate x) on x >= 0, event shape `[]`.
 * `rsample` is `-log(u) / rate` with `u ~ U(0, 1)`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Exponential } from '@vae/distributions';
 *
 * const waiting = new Exponential({ rate: [0.5, 2] }); // batchShape [2]
 * const t = waiting.rsample([1000], 1); // [1000, 2]
 * // Near the means [2, 0.5]:
 * tf.mean(t, 0).print(); // -> [2.0728, 0.4957]
 * ```
 */
export class Exponential extends Distribution {
  /** The `rate` parameter as a float32 tensor (the mean is 1 / rate). */
  readonly rate: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `rate` (see {@link ExponentialOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: ExponentialOptions) {
    const scope = new ParamScope('Exponential', options);
    const rate = scope.param('rate', options.rate, positive);
    super({ batchShape: rate.shape }, scope);
    this.rate = rate;
  }

  get support(): Constraint {
    return nonNegative;
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = openUniform(this.extendedShape(sampleShape), seed);
    return tf.div(tf.neg(tf.log(u)), this.rate);
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => tf.sub(tf.log(this.rate), tf.mul(this.rate, this.checkedValue(value))));
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.sub(1, tf.log(this.rate)));
  }

  override mean(): tf.Tensor {
    return tf.reciprocal(this.rate);
  }

  override mode(): tf.Tensor {
    return tf.zerosLike(this.rate);
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => tf.reciprocal(tf.square(this.rate)));
  }

  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.maximum(this.checkedValue(value, 'cdf', real), 0);
      return tf.neg(expm1(tf.neg(tf.mul(this.rate, x))));
    });
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() =>
      tf.div(tf.neg(log1p(tf.neg(this.checkedValue(p, 'icdf', unitInterval)))), this.rate),
    );
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Exponential {
    return new Exponential({ rate: map.param(this.rate), validateArgs: this.validateArgs });
  }
}

/** KL(Exp(a) || Exp(b)) = log(a / b) + b / a - 1. */
function klExponentialExponential(p: Exponential, q: Exponential): tf.Tensor {
  const ratio = tf.div(q.rate, p.rate);
  return tf.sub(tf.sub(ratio, tf.log(ratio)), 1);
}

/** KL(Exponential || Normal), torch's closed form. */
function klExponentialNormal(p: Exponential, q: Normal): tf.Tensor {
  const varNormal = tf.square(q.scale);
  const rateSquared = tf.square(p.rate);
  const t1 = tf.mul(tf.log(tf.mul(tf.mul(rateSquared, varNormal), 2 * Math.PI)), 0.5);
  const t2 = tf.reciprocal(rateSquared);
  const t3 = tf.div(q.loc, p.rate);
  const t4 = tf.mul(tf.square(q.loc), 0.5);
  return tf.add(tf.sub(t1, 1), tf.div(tf.add(tf.sub(t2, t3), t4), varNormal));
}

/** KL(Uniform || Exponential) = rate (low + high) / 2 - log((high - low) rate); +Infinity if low < 0. */
function klUniformExponential(p: Uniform, q: Exponential): tf.Tensor {
  const result = tf.sub(
    tf.mul(q.rate, tf.mul(tf.add(p.high, p.low), 0.5)),
    tf.log(tf.mul(tf.sub(p.high, p.low), q.rate)),
  );
  const outside = untaped(() => tf.less(p.low, 0));
  return tf.where(outside, tf.fill(result.shape, Number.POSITIVE_INFINITY), result);
}

registerKL(Exponential, Exponential, klExponentialExponential);
registerKL(Exponential, Normal, klExponentialNormal);
registerKL(Uniform, Exponential, klUniformExponential);
// Support mismatches: +Infinity.
registerKL(Normal, Exponential, infiniteKl);
registerKL(Exponential, Uniform, infiniteKl);
