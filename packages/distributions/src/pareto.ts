import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1p } from '@vae/divergence';
import { Beta } from './beta.js';
import { ContinuousBernoulli } from './continuous-bernoulli.js';
import { type BatchMapper, Distribution } from './distribution.js';
import { Exponential } from './exponential.js';
import { Gamma } from './gamma.js';
import { Gumbel } from './gumbel.js';
import {
  type Constraint,
  greaterThan,
  positive,
  positiveValue,
  unitInterval,
} from './internal/constraints.js';
import { infiniteKl } from './internal/infinite-kl.js';
import { LOG_2PI, openUniform, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { lgamma, xlogy } from './internal/special.js';
import { registerKL } from './kl-registry.js';
import { Laplace } from './laplace.js';
import { Normal } from './normal.js';
import { Uniform } from './uniform.js';

/**
 * Options of {@link Pareto}: `scale` (the minimum) and `alpha` (the tail index), broadcast to
 * the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Pareto, type ParetoOptions } from '@vae/distributions';
 *
 * const options: ParetoOptions = { scale: 1, alpha: [1.5, 3] };
 * // alpha scale / (alpha - 1):
 * new Pareto(options).mean().print(); // -> [3, 1.5]
 * ```
 */
export interface ParetoOptions extends DistributionOptions {
  /** The smallest value x_m, positive. */
  scale: ParamLike;
  /** The tail index, positive: moments of order >= alpha are infinite. */
  alpha: ParamLike;
}

/**
 * The Pareto (type I) distribution with density alpha scale^alpha / x^(alpha + 1) on
 * x >= scale, batched over the broadcast shape of `scale` and `alpha` (event shape `[]`).
 * `rsample` is `scale * u^(-1 / alpha)` with `u ~ U(0, 1)`. `mean` is +Infinity for
 * alpha <= 1 and `variance` +Infinity for alpha <= 2 (as torch). `support` is x >= `scale`.
 *
 * `scale` and `alpha` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Pareto } from '@vae/distributions';
 *
 * const incomes = new Pareto({ scale: 1, alpha: [1.5, 3] }); // batchShape [2]
 * const x = incomes.rsample([1000], 10); // [1000, 2], all >= 1
 * const logp = incomes.logProb(x); // [1000, 2]
 * console.log(tf.min(x).dataSync()[0]! >= 1); // -> true
 * console.log(logp.shape); // -> [ 1000, 2 ]
 * incomes.dispose();
 * ```
 */
export class Pareto extends Distribution {
  /** The `scale` parameter as a float32 tensor, broadcast with the others to the batch shape (the smallest value). */
  readonly scale: tf.Tensor;
  /** The `alpha` parameter as a float32 tensor, broadcast with the others to the batch shape (the tail index). */
  readonly alpha: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `scale`, `alpha` (see {@link ParetoOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: ParetoOptions) {
    const scope = new ParamScope('Pareto', options);
    const params = scope.broadcast({
      scale: scope.param('scale', options.scale, positive),
      alpha: scope.param('alpha', options.alpha, positive),
    });
    super({ batchShape: params.scale.shape }, scope);
    this.scale = params.scale;
    this.alpha = params.alpha;
  }

  /** x >= `scale`. */
  get support(): Constraint {
    // x >= scale (torch's greater_than_eq); `kind` lets bijectTo map reals onto it.
    return {
      ...greaterThan(this.scale),
      description: 'at least `scale`',
      check: (x) => tf.greaterEqual(x, this.scale),
    };
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = openUniform(this.extendedShape(sampleShape), seed);
    return tf.mul(this.scale, tf.exp(tf.neg(tf.div(tf.log(u), this.alpha))));
  }

  /** log(alpha) + alpha log(scale) - (alpha + 1) log(x); -Infinity below `scale` (without validateArgs). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const head = tf.add(tf.log(this.alpha), tf.mul(this.alpha, tf.log(this.scale)));
      const result = tf.sub(head, tf.mul(tf.add(this.alpha, 1), tf.log(x)));
      const below = untaped(() => tf.less(x, this.scale));
      return tf.where(below, tf.fill(result.shape, Number.NEGATIVE_INFINITY), result);
    });
  }

  /** log(scale / alpha) + 1 + 1 / alpha. */
  override entropy(): tf.Tensor {
    return tf.tidy(() =>
      tf.add(tf.log(tf.div(this.scale, this.alpha)), tf.add(tf.reciprocal(this.alpha), 1)),
    );
  }

  /**
   * alpha scale / (alpha - 1), +Infinity for alpha <= 1. A new tensor; the caller owns (disposes)
   * it.
   */
  override mean(): tf.Tensor {
    return tf.tidy(() => {
      const a = tf.maximum(this.alpha, 1);
      return this.infiniteWhere(1, tf.div(tf.mul(a, this.scale), tf.sub(a, 1)));
    });
  }

  override mode(): tf.Tensor {
    return this.scale.clone();
  }

  /**
   * scale^2 alpha / ((alpha - 1)^2 (alpha - 2)), +Infinity for alpha <= 2. A new tensor; the caller
   * owns (disposes) it.
   */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const a = tf.maximum(this.alpha, 2);
      const denominator = tf.mul(tf.square(tf.sub(a, 1)), tf.sub(a, 2));
      return this.infiniteWhere(2, tf.div(tf.mul(tf.square(this.scale), a), denominator));
    });
  }

  /** 1 - (scale / x)^alpha as -expm1(alpha log(scale / x)) (0 below `scale`). */
  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.maximum(this.checkedValue(value, 'cdf', positiveValue), this.scale);
      return tf.neg(expm1(tf.mul(this.alpha, tf.log(tf.div(this.scale, x)))));
    });
  }

  /** scale (1 - p)^(-1 / alpha) as scale exp(-log1p(-p) / alpha). */
  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const q = this.checkedValue(p, 'icdf', unitInterval);
      return tf.mul(this.scale, tf.exp(tf.neg(tf.div(log1p(tf.neg(q)), this.alpha))));
    });
  }

  /** `value`, with +Infinity where alpha <= `bound` (set explicitly: WebGL's 1/0 is finite). */
  private infiniteWhere(bound: number, value: tf.Tensor): tf.Tensor {
    const below = untaped(() => tf.lessEqual(this.alpha, bound));
    return tf.where(below, tf.fill(value.shape, Number.POSITIVE_INFINITY), value);
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Pareto {
    return new Pareto({
      scale: map.param(this.scale),
      alpha: map.param(this.alpha),
      validateArgs: this.validateArgs,
    });
  }
}

/** `result`, +Infinity where `mask` (a gradient-free condition on the parameters). */
function infiniteWhere(mask: () => tf.Tensor, result: tf.Tensor): tf.Tensor {
  const outside = tf.broadcastTo(untaped(mask), result.shape);
  return tf.where(outside, tf.fill(result.shape, Number.POSITIVE_INFINITY), result);
}

/** KL(Pareto || Pareto) = a_q log(s_p / s_q) - log(a_q / a_p) + a_q / a_p - 1; +Infinity where s_p < s_q. */
function klParetoPareto(p: Pareto, q: Pareto): tf.Tensor {
  const alphaRatio = tf.div(q.alpha, p.alpha);
  const t1 = tf.mul(q.alpha, tf.log(tf.div(p.scale, q.scale)));
  const result = tf.sub(tf.add(tf.sub(t1, tf.log(alphaRatio)), alphaRatio), 1);
  return infiniteWhere(() => tf.less(p.scale, q.scale), result);
}

/** KL(Pareto || Exponential), torch's closed form; +Infinity where alpha <= 1 (no mean). */
function klParetoExponential(p: Pareto, q: Exponential): tf.Tensor {
  const product = tf.mul(p.scale, q.rate);
  const t1 = tf.log(tf.div(p.alpha, product));
  const t3 = tf.div(tf.mul(p.alpha, product), tf.sub(p.alpha, 1));
  const result = tf.sub(tf.add(tf.sub(t1, tf.reciprocal(p.alpha)), t3), 1);
  return infiniteWhere(() => tf.lessEqual(p.alpha, 1), result);
}

/** KL(Pareto || Gamma), torch's closed form; +Infinity where alpha <= 1. */
function klParetoGamma(p: Pareto, q: Gamma): tf.Tensor {
  const common = tf.add(tf.log(p.scale), tf.reciprocal(p.alpha));
  const t1 = tf.sub(tf.log(p.alpha), common);
  const t2 = tf.sub(lgamma(q.concentration), tf.mul(q.concentration, tf.log(q.rate)));
  const t3 = tf.mul(tf.sub(1, q.concentration), common);
  const t4 = tf.div(tf.mul(tf.mul(q.rate, p.alpha), p.scale), tf.sub(p.alpha, 1));
  const result = tf.sub(tf.add(tf.add(t1, t2), tf.add(t3, t4)), 1);
  return infiniteWhere(() => tf.lessEqual(p.alpha, 1), result);
}

/** KL(Pareto || Normal), torch's closed form; +Infinity where alpha <= 2 (no variance). */
function klParetoNormal(p: Pareto, q: Normal): tf.Tensor {
  const twiceVariance = tf.mul(tf.square(q.scale), 2);
  const common = tf.div(p.scale, tf.sub(p.alpha, 1));
  const t1 = tf.add(tf.log(tf.div(tf.mul(q.scale, p.alpha), p.scale)), 0.5 * LOG_2PI);
  const t3 = tf.div(tf.mul(p.alpha, tf.square(common)), tf.sub(p.alpha, 2));
  const t4 = tf.square(tf.sub(tf.mul(p.alpha, common), q.loc));
  const result = tf.sub(
    tf.add(tf.sub(t1, tf.reciprocal(p.alpha)), tf.div(tf.add(t3, t4), twiceVariance)),
    1,
  );
  return infiniteWhere(() => tf.lessEqual(p.alpha, 2), result);
}

/** KL(Uniform || Pareto), torch's closed form; +Infinity where low < scale. */
function klUniformPareto(p: Uniform, q: Pareto): tf.Tensor {
  const width = tf.sub(p.high, p.low);
  // log(alpha scale^alpha width), summed in log space so scale^alpha never overflows.
  const t1 = tf.add(tf.add(tf.log(q.alpha), tf.mul(q.alpha, tf.log(q.scale))), tf.log(width));
  const meanLog = tf.div(tf.sub(tf.sub(xlogy(p.high, p.high), xlogy(p.low, p.low)), width), width);
  const result = tf.sub(tf.mul(meanLog, tf.add(q.alpha, 1)), t1);
  return infiniteWhere(() => tf.less(p.low, q.scale), result);
}

registerKL(Pareto, Pareto, klParetoPareto);
registerKL(Pareto, Exponential, klParetoExponential);
registerKL(Pareto, Gamma, klParetoGamma);
registerKL(Pareto, Normal, klParetoNormal);
registerKL(Uniform, Pareto, klUniformPareto);
// Support mismatches (as torch): a Pareto reaches past 1 and above every bound; the others put
// mass below any Pareto's scale.
registerKL(Pareto, Beta, infiniteKl);
registerKL(Pareto, ContinuousBernoulli, infiniteKl);
registerKL(Pareto, Uniform, infiniteKl);
for (const P of [Beta, ContinuousBernoulli, Exponential, Gamma, Gumbel, Laplace, Normal]) {
  registerKL(P, Pareto, infiniteKl);
}
