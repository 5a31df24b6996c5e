import * as tf from '@tensorflow/tfjs-core';
import { log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { Exponential } from './exponential.js';
import { type Constraint, real, unitInterval } from './internal/constraints.js';
import { infiniteKl } from './internal/infinite-kl.js';
import { parseLocScale } from './internal/loc-scale.js';
import { EPS, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { registerKL } from './kl-registry.js';
import { Normal } from './normal.js';
import { Uniform } from './uniform.js';

/**
 * Options of {@link Laplace}: `loc` (real) and `scale` (positive) broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Laplace, type LaplaceOptions } from '@vae/distributions';
 *
 * const options: LaplaceOptions = { loc: [0, 1], scale: 0.5 };
 * // 2 scale^2:
 * new Laplace(options).variance().print(); // -> [0.5, 0.5]
 * ```
 */
export interface LaplaceOptions extends DistributionOptions {
  /** Location (the mean and median), any real. */
  loc: ParamLike;
  /** Scale b, positive (the variance is 2 b^2). */
  scale: ParamLike;
}

/**
 * The Laplace (double exponential) distribution with density exp(-|x - loc| / scale) / (2 scale),
 * event shape `[]`. `rsample` is `loc - scale * sign(u) * log(1 - |u|)` with `u ~ U(-1, 1)`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Laplace } from '@vae/distributions';
 *
 * const laplace = new Laplace({ loc: 0, scale: [1, 2] }); // batchShape [2]
 * const x = laplace.rsample([100], 3);
 * console.log(x.shape); // -> [ 100, 2 ]
 * ```
 */
export class Laplace extends Distribution {
  /** The `loc` parameter as a float32 tensor, broadcast with the others to the batch shape (the mean and median). */
  readonly loc: tf.Tensor;
  /** The `scale` parameter as a float32 tensor, broadcast with the others to the batch shape. */
  readonly scale: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `scale` (see {@link LaplaceOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: LaplaceOptions) {
    const scope = new ParamScope('Laplace', options);
    const { loc, scale } = parseLocScale(scope, options);
    super({ batchShape: loc.shape }, scope);
    this.loc = loc;
    this.scale = scale;
  }

  get support(): Constraint {
    return real;
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = tf.randomUniform(this.extendedShape(sampleShape), EPS - 1, 1, 'float32', seed);
    return tf.sub(this.loc, tf.mul(this.scale, tf.mul(tf.sign(u), log1p(tf.neg(tf.abs(u))))));
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const distance = tf.abs(tf.sub(this.checkedValue(value), this.loc));
      return tf.neg(tf.add(tf.log(tf.mul(this.scale, 2)), tf.div(distance, this.scale)));
    });
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.add(tf.log(tf.mul(this.scale, 2)), 1));
  }

  override mean(): tf.Tensor {
    return this.loc.clone();
  }

  override mode(): tf.Tensor {
    return this.loc.clone();
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.square(this.scale), 2));
  }

  /** 0.5 e^(-|z|) below `loc` and 1 - 0.5 e^(-|z|) above, z = (x - loc) / scale (no cancellation in the lower tail). */
  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.sub(this.checkedValue(value, 'cdf'), this.loc), this.scale);
      const tail = tf.mul(tf.exp(tf.neg(tf.abs(z))), 0.5);
      return tf.where(
        untaped(() => tf.less(z, 0)),
        tail,
        tf.sub(1, tail),
      );
    });
  }

  /** loc + scale log(2p) for p <= 1/2 and loc - scale log(2 (1 - p)) above (so icdf(1e-30) is finite). */
  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const u = this.checkedValue(p, 'icdf', unitInterval);
      const lower = untaped(() => tf.lessEqual(u, 0.5));
      // Each branch sees 1/2 where it is not taken; 1 - p is exact for p >= 1/2.
      const below = tf.log(tf.mul(tf.where(lower, u, tf.fill(u.shape, 0.5)), 2));
      const above = tf.neg(tf.log(tf.mul(tf.sub(1, tf.where(lower, tf.fill(u.shape, 0.5), u)), 2)));
      return tf.add(this.loc, tf.mul(this.scale, tf.where(lower, below, above)));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Laplace {
    return new Laplace({
      loc: map.param(this.loc),
      scale: map.param(this.scale),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(Laplace || Laplace) = -log r + |Δloc| / b_q + r exp(-|Δloc| / b_p) - 1, r = b_p / b_q. */
function klLaplaceLaplace(p: Laplace, q: Laplace): tf.Tensor {
  const ratio = tf.div(p.scale, q.scale);
  const distance = tf.abs(tf.sub(p.loc, q.loc));
  const t3 = tf.mul(ratio, tf.exp(tf.neg(tf.div(distance, p.scale))));
  return tf.sub(tf.add(tf.sub(tf.div(distance, q.scale), tf.log(ratio)), t3), 1);
}

/** KL(Laplace || Normal), torch's closed form. */
function klLaplaceNormal(p: Laplace, q: Normal): tf.Tensor {
  const varNormal = tf.square(q.scale);
  const ratio = tf.div(tf.square(p.scale), varNormal);
  const t1 = tf.mul(tf.log(tf.mul(ratio, 2 / Math.PI)), 0.5);
  const squares = tf.mul(tf.square(tf.sub(p.loc, q.loc)), 0.5);
  return tf.sub(tf.add(tf.sub(ratio, t1), tf.div(squares, varNormal)), 1);
}

/** KL(Normal || Laplace), torch's closed form. */
function klNormalLaplace(p: Normal, q: Laplace): tf.Tensor {
  const shift = tf.sub(p.loc, q.loc);
  const standardized = tf.div(shift, p.scale);
  const t1 = tf.log(tf.div(p.scale, q.scale));
  const t2 = tf.mul(
    tf.mul(p.scale, Math.sqrt(2 / Math.PI)),
    tf.exp(tf.mul(tf.square(standardized), -0.5)),
  );
  const t3 = tf.mul(shift, tf.erf(tf.mul(standardized, Math.SQRT1_2)));
  const constant = 0.5 * (1 + Math.log(0.5 * Math.PI));
  return tf.sub(tf.sub(tf.div(tf.add(t2, t3), q.scale), t1), constant);
}

registerKL(Laplace, Laplace, klLaplaceLaplace);
registerKL(Laplace, Normal, klLaplaceNormal);
registerKL(Normal, Laplace, klNormalLaplace);
// Support mismatches: +Infinity.
registerKL(Laplace, Exponential, infiniteKl);
registerKL(Laplace, Uniform, infiniteKl);
