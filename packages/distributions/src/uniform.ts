import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, finiteReal, interval, unitInterval } from './internal/constraints.js';
import { infiniteKl } from './internal/infinite-kl.js';
import { untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { registerKL } from './kl-registry.js';
import { Normal } from './normal.js';

/**
 * Options of {@link Uniform}: finite `low` < `high`, broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Uniform, type UniformOptions } from '@vae/distributions';
 *
 * const options: UniformOptions = { low: -1, high: [1, 2] };
 * new Uniform(options).mean().print(); // -> [0, 0.5]
 * ```
 */
export interface UniformOptions extends DistributionOptions {
  /** Lower bound (inclusive), finite. */
  low: ParamLike;
  /** Upper bound (exclusive), finite and above `low`. */
  high: ParamLike;
}

/**
 * The continuous uniform distribution on [low, high), event shape `[]`. `rsample` is
 * `low + (high - low) u` with `u ~ U(0, 1)`. `logProb` is -Infinity outside the interval
 * (with `validateArgs`, values outside it throw).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Uniform } from '@vae/distributions';
 *
 * const uniform = new Uniform({ low: 0, high: [1, 2, 4] }); // batchShape [3]
 * const x = uniform.sample([10]);
 * console.log(x.shape); // -> [ 10, 3 ]
 * ```
 */
export class Uniform extends Distribution {
  /** The `low` parameter as a float32 tensor, broadcast with the others to the batch shape (inclusive). */
  readonly low: tf.Tensor;
  /** The `high` parameter as a float32 tensor, broadcast with the others to the batch shape (exclusive). */
  readonly high: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `low`, `high` (see {@link UniformOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: UniformOptions) {
    const scope = new ParamScope('Uniform', options);
    const { low, high } = scope.broadcast({
      low: scope.param('low', options.low, finiteReal),
      high: scope.param('high', options.high, finiteReal),
    });
    if (scope.validate) {
      const width = tf.sub(high, low);
      try {
        scope.check('high', width, {
          description: 'greater than `low` (the tensor shown is high - low)',
          check: (x) => tf.greater(x, 0),
        });
      } finally {
        width.dispose();
      }
    }
    super({ batchShape: low.shape }, scope);
    this.low = low;
    this.high = high;
  }

  get support(): Constraint {
    return interval(this.low, this.high, 'in [low, high]');
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = tf.randomUniform(this.extendedShape(sampleShape), 0, 1, 'float32', seed);
    return tf.add(this.low, tf.mul(tf.sub(this.high, this.low), u));
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const inside = untaped(() =>
        tf.logicalAnd(tf.greaterEqual(x, this.low), tf.lessEqual(x, this.high)),
      );
      const logDensity = tf.neg(tf.log(tf.sub(this.high, this.low)));
      return tf.where(inside, logDensity, tf.fill(inside.shape, Number.NEGATIVE_INFINITY));
    });
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.log(tf.sub(this.high, this.low)));
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.add(this.high, this.low), 0.5));
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => tf.div(tf.square(tf.sub(this.high, this.low)), 12));
  }

  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value, 'cdf', finiteReal);
      return tf.clipByValue(tf.div(tf.sub(x, this.low), tf.sub(this.high, this.low)), 0, 1);
    });
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const u = this.checkedValue(p, 'icdf', unitInterval);
      return tf.add(this.low, tf.mul(u, tf.sub(this.high, this.low)));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Uniform {
    return new Uniform({
      low: map.param(this.low),
      high: map.param(this.high),
      validateArgs: this.validateArgs,
    });
  }
}

/** log(width_q / width_p), +Infinity where [low_p, high_p] is not inside [low_q, high_q]. */
function klUniformUniform(p: Uniform, q: Uniform): tf.Tensor {
  const result = tf.log(tf.div(tf.sub(q.high, q.low), tf.sub(p.high, p.low)));
  const outside = untaped(() => tf.logicalOr(tf.greater(q.low, p.low), tf.less(q.high, p.high)));
  return tf.where(outside, tf.fill(result.shape, Number.POSITIVE_INFINITY), result);
}

/** KL(Uniform || Normal) = log(sqrt(2 pi) s / w) + (w^2 / 12 + (mid - loc)^2) / (2 s^2). */
function klUniformNormal(p: Uniform, q: Normal): tf.Tensor {
  const width = tf.sub(p.high, p.low);
  const t1 = tf.log(tf.div(tf.mul(q.scale, Math.sqrt(2 * Math.PI)), width));
  const t2 = tf.div(tf.square(width), 12);
  const t3 = tf.square(tf.sub(tf.mul(tf.add(p.high, p.low), 0.5), q.loc));
  return tf.add(t1, tf.div(tf.mul(tf.add(t2, t3), 0.5), tf.square(q.scale)));
}

registerKL(Uniform, Uniform, klUniformUniform);
registerKL(Uniform, Normal, klUniformNormal);
// Support mismatch: a Normal puts mass outside every bounded interval.
registerKL(Normal, Uniform, infiniteKl);
