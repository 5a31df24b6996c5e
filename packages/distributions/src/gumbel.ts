import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { Exponential } from './exponential.js';
import { type Constraint, real, unitInterval } from './internal/constraints.js';
import { infiniteKl } from './internal/infinite-kl.js';
import { parseLocScale } from './internal/loc-scale.js';
import { EULER_GAMMA, openUniform } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { lgamma } from './internal/special.js';
import { registerKL } from './kl-registry.js';
import { Normal } from './normal.js';
import { Uniform } from './uniform.js';

/**
 * Options of {@link Gumbel}: `loc` (real) and `scale` (positive) broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Gumbel, type GumbelOptions } from '@vae/distributions';
 *
 * const options: GumbelOptions = { loc: 0, scale: 1 };
 * // The Euler-Mascheroni constant:
 * new Gumbel(options).mean().print(); // -> 0.5772
 * ```
 */
export interface GumbelOptions extends DistributionOptions {
  /** Location (the mode), any real. */
  loc: ParamLike;
  /** Scale beta, positive. */
  scale: ParamLike;
}

/**
 * The Gumbel (type-I extreme value) distribution with cdf exp(-exp(-(x - loc) / scale)),
 * event shape `[]`. `rsample` is `loc - scale * log(-log u)` with `u ~ U(0, 1)`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Gumbel } from '@vae/distributions';
 *
 * const noise = new Gumbel({ loc: 0, scale: 1 });
 * const g = noise.sample([4, 10], 5); // standard Gumbel noise
 * console.log(g.shape); // -> [ 4, 10 ]
 * ```
 */
export class Gumbel extends Distribution {
  /** The `loc` parameter as a float32 tensor, broadcast with the others to the batch shape (the mode). */
  readonly loc: tf.Tensor;
  /** The `scale` parameter as a float32 tensor, broadcast with the others to the batch shape. */
  readonly scale: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `scale` (see {@link GumbelOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: GumbelOptions) {
    const scope = new ParamScope('Gumbel', options);
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
    const u = openUniform(this.extendedShape(sampleShape), seed);
    return tf.sub(this.loc, tf.mul(this.scale, tf.log(tf.neg(tf.log(u)))));
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.sub(this.checkedValue(value), this.loc), this.scale);
      return tf.neg(tf.add(tf.add(z, tf.exp(tf.neg(z))), tf.log(this.scale)));
    });
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.add(tf.log(this.scale), 1 + EULER_GAMMA));
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => tf.add(this.loc, tf.mul(this.scale, EULER_GAMMA)));
  }

  override mode(): tf.Tensor {
    return this.loc.clone();
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.square(this.scale), (Math.PI * Math.PI) / 6));
  }

  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.sub(this.checkedValue(value, 'cdf'), this.loc), this.scale);
      return tf.exp(tf.neg(tf.exp(tf.neg(z))));
    });
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const u = this.checkedValue(p, 'icdf', unitInterval);
      return tf.sub(this.loc, tf.mul(this.scale, tf.log(tf.neg(tf.log(u)))));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Gumbel {
    return new Gumbel({
      loc: map.param(this.loc),
      scale: map.param(this.scale),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(Gumbel || Gumbel), torch's closed form (uses lgamma). */
function klGumbelGumbel(p: Gumbel, q: Gumbel): tf.Tensor {
  const ratio = tf.div(p.scale, q.scale);
  const qLoc = tf.div(q.loc, q.scale);
  const pLoc = tf.div(p.loc, q.scale);
  const t1 = tf.add(tf.sub(tf.neg(tf.log(ratio)), qLoc), pLoc);
  const t2 = tf.mul(ratio, EULER_GAMMA);
  const t3 = tf.exp(tf.sub(tf.add(qLoc, lgamma(tf.add(ratio, 1))), pLoc));
  return tf.sub(tf.add(tf.add(t1, t2), t3), 1 + EULER_GAMMA);
}

/** KL(Normal || Gumbel) = -log(s / b) + d + exp(-d + (s / b)^2 / 2) - (1 + log 2 pi) / 2, d = (m - loc) / b. */
function klNormalGumbel(p: Normal, q: Gumbel): tf.Tensor {
  const ratio = tf.div(p.scale, q.scale);
  const t1 = tf.log(ratio);
  const t2 = tf.div(tf.sub(p.loc, q.loc), q.scale);
  const t3 = tf.exp(tf.add(tf.neg(t2), tf.mul(tf.square(ratio), 0.5)));
  return tf.sub(tf.add(tf.sub(t2, t1), t3), 0.5 * (1 + Math.log(2 * Math.PI)));
}

/** KL(Uniform || Gumbel), torch's closed form. */
function klUniformGumbel(p: Uniform, q: Gumbel): tf.Tensor {
  const common = tf.div(q.scale, tf.sub(p.high, p.low));
  const high = tf.div(tf.sub(p.high, q.loc), q.scale);
  const low = tf.div(tf.sub(p.low, q.loc), q.scale);
  const t1 = tf.add(tf.log(common), tf.mul(tf.add(high, low), 0.5));
  const t2 = tf.mul(common, tf.sub(tf.exp(tf.neg(high)), tf.exp(tf.neg(low))));
  return tf.sub(t1, t2);
}

/** KL(Exponential || Gumbel), torch's closed form. */
function klExponentialGumbel(p: Exponential, q: Gumbel): tf.Tensor {
  const product = tf.mul(p.rate, q.scale);
  const locRatio = tf.div(q.loc, q.scale);
  const t1 = tf.sub(tf.log(product), 1);
  const t2 = tf.div(tf.mul(tf.exp(locRatio), product), tf.add(product, 1));
  return tf.add(tf.add(tf.sub(t1, locRatio), t2), tf.reciprocal(product));
}

/** KL(Gumbel(m, b) || Normal(mu, s)) = -log(r / sqrt(2 pi)) + (pi r / 2)^2 / 3 + ((m + b gamma - mu) / s)^2 / 2 - gamma - 1, r = b / s. */
function klGumbelNormal(p: Gumbel, q: Normal): tf.Tensor {
  const ratio = tf.div(p.scale, q.scale);
  const t1 = tf.log(tf.div(ratio, Math.sqrt(2 * Math.PI)));
  const t2 = tf.div(tf.square(tf.mul(ratio, Math.PI / 2)), 3);
  const shift = tf.div(tf.sub(tf.add(p.loc, tf.mul(p.scale, EULER_GAMMA)), q.loc), q.scale);
  const t3 = tf.mul(tf.square(shift), 0.5);
  return tf.sub(tf.add(tf.sub(t2, t1), t3), EULER_GAMMA + 1);
}

registerKL(Gumbel, Gumbel, klGumbelGumbel);
registerKL(Gumbel, Normal, klGumbelNormal);
registerKL(Normal, Gumbel, klNormalGumbel);
registerKL(Uniform, Gumbel, klUniformGumbel);
registerKL(Exponential, Gumbel, klExponentialGumbel);
// Support mismatches: +Infinity.
registerKL(Gumbel, Exponential, infiniteKl);
registerKL(Gumbel, Uniform, infiniteKl);
