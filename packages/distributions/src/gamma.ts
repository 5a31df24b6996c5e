import * as tf from '@tensorflow/tfjs-core';
import { log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { Exponential } from './exponential.js';
import { Gumbel } from './gumbel.js';
import { type Constraint, nonNegative, positive } from './internal/constraints.js';
import { infiniteKl } from './internal/infinite-kl.js';
import { EULER_GAMMA, LOG_2PI } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { digamma, lgamma, untracked, xlogy } from './internal/special.js';
import { standardGamma, standardGammaReparameterized } from './internal/special-random.js';
import { isRecordingGradients } from './internal/tfjs-internals.js';
import { registerKL } from './kl-registry.js';
import { Laplace } from './laplace.js';
import { Normal } from './normal.js';
import { Uniform } from './uniform.js';

/** Options of {@link Gamma}: `concentration` and `rate` broadcast to the batch shape. */
export interface GammaOptions extends DistributionOptions {
  /** Shape parameter alpha, positive. */
  concentration: ParamLike;
  /** Inverse scale beta, positive (the mean is concentration / rate). */
  rate: ParamLike;
}

/**
 * The Gamma distribution with density rate^alpha x^(alpha - 1) e^(-rate x) / Gamma(alpha) on
 * x >= 0, batched over the broadcast shape of `concentration` (alpha) and `rate` (event shape
 * `[]`). Sampling uses Marsaglia-Tsang on the host in float64 (the parameters are read back, as
 * tfjs draws its random numbers on the host anyway). `rsample` is reparameterized by implicit
 * differentiation (dx/dalpha = -(dF/dalpha) / density, F the CDF, at the drawn x). `cdf` is not
 * implemented.
 *
 * `concentration` and `rate` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Gamma, klDivergence } from '@vae/distributions';
 *
 * const gamma = new Gamma({ concentration: [0.5, 2, 9], rate: 2 }); // batchShape [3]
 * const x = gamma.sample([100], 7); // [100, 3]
 * const logp = gamma.logProb(x); // [100, 3]
 * const kl = klDivergence(gamma, new Gamma({ concentration: 1, rate: 1 })); // [3]
 * console.log(x.shape, logp.shape);
 * kl.print();
 * gamma.dispose();
 * ```
 */
export class Gamma extends Distribution {
  /** The `concentration` parameter as a float32 tensor, broadcast with the others to the batch shape (alpha; for a Chi2, df / 2). */
  readonly concentration: tf.Tensor;
  /** The `rate` parameter as a float32 tensor, broadcast with the others to the batch shape (beta; for a Chi2, 1/2). */
  readonly rate: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `concentration`, `rate` (see {@link GammaOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: GammaOptions) {
    const scope = new ParamScope('Gamma', options);
    const params = scope.broadcast({
      concentration: scope.param('concentration', options.concentration, positive),
      rate: scope.param('rate', options.rate, positive),
    });
    super({ batchShape: params.concentration.shape }, scope);
    this.concentration = params.concentration;
    this.rate = params.rate;
  }

  get support(): Constraint {
    return nonNegative;
  }

  /** Reparameterized by implicit differentiation of the CDF (Figurnov et al. 2018). */
  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return tf.div(gammaDraw(this.concentration, sampleShape, seed), this.rate);
  }

  /** alpha log(rate) + (alpha - 1) log(x) - rate x - lgamma(alpha), with 0 log 0 = 0 at x = 0. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const c = this.concentration;
      const normalizer = tf.sub(xlogy(c, this.rate), lgamma(c));
      return tf.add(normalizer, tf.sub(xlogy(tf.sub(c, 1), x), tf.mul(this.rate, x)));
    });
  }

  /** alpha - log(rate) + lgamma(alpha) + (1 - alpha) digamma(alpha). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const c = this.concentration;
      const head = tf.add(tf.sub(c, tf.log(this.rate)), lgamma(c));
      return tf.add(head, tf.mul(tf.sub(1, c), digamma(c)));
    });
  }

  override mean(): tf.Tensor {
    return tf.div(this.concentration, this.rate);
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => tf.div(this.concentration, tf.square(this.rate)));
  }

  /** (alpha - 1) / rate where alpha >= 1, else 0. A new tensor; the caller owns (disposes) it. */
  override mode(): tf.Tensor {
    return tf.tidy(() => tf.div(tf.relu(tf.sub(this.concentration, 1)), this.rate));
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Gamma {
    return new Gamma({
      concentration: map.param(this.concentration),
      rate: map.param(this.rate),
      validateArgs: this.validateArgs,
    });
  }
}

/**
 * Standard Gamma draws `[...sampleShape, ...alpha.shape]`; while a gradient tape records, they
 * carry implicit reparameterization gradients to `alpha` (computed on the host as they are drawn).
 */
export function gammaDraw(
  alpha: tf.Tensor,
  sampleShape: number[],
  seed: number | undefined,
): tf.Tensor {
  return isRecordingGradients()
    ? standardGammaReparameterized(alpha, sampleShape, seed)
    : standardGamma(alpha, sampleShape, seed);
}

/** KL(Gamma(a1, b1) || Gamma(a2, b2)) in closed form (as torch.distributions has it). */
export function klGammaGamma(p: Gamma, q: Gamma): tf.Tensor {
  const t1 = tf.mul(q.concentration, tf.log(tf.div(p.rate, q.rate)));
  const t2 = tf.sub(lgamma(q.concentration), lgamma(p.concentration));
  const t3 = tf.mul(tf.sub(p.concentration, q.concentration), digamma(p.concentration));
  const t4 = tf.mul(tf.sub(q.rate, p.rate), tf.div(p.concentration, p.rate));
  return tf.add(tf.add(t1, t2), tf.add(t3, t4));
}

/** KL(Exponential(l) || Gamma(a, b)) = -a log(b / l) + b / l + lgamma(a) + a gamma_E - (1 + gamma_E). */
function klExponentialGamma(p: Exponential, q: Gamma): tf.Tensor {
  const ratio = tf.div(q.rate, p.rate);
  const t1 = tf.mul(tf.neg(q.concentration), tf.log(ratio));
  const t2 = tf.add(lgamma(q.concentration), tf.mul(q.concentration, EULER_GAMMA));
  return tf.add(tf.add(t1, ratio), tf.sub(t2, 1 + EULER_GAMMA));
}

/** KL(Gamma || Exponential(l)) = -H(p) - log(l) + l E_p[x]. */
function klGammaExponential(p: Gamma, q: Exponential): tf.Tensor {
  const mean = tf.div(p.concentration, p.rate);
  return tf.add(tf.neg(p.entropy()), tf.sub(tf.mul(q.rate, mean), tf.log(q.rate)));
}

/** KL(Gamma(a, b) || Normal(m, s)) in closed form (E[x] = a / b, E[x^2] = (a^2 + a) / b^2). */
function klGammaNormal(p: Gamma, q: Normal): tf.Tensor {
  const a = p.concentration;
  const varNormal = tf.square(q.scale);
  const rateSquared = tf.square(p.rate);
  const t1 = tf.sub(
    tf.sub(tf.mul(tf.add(tf.log(tf.mul(rateSquared, varNormal)), LOG_2PI), 0.5), a),
    lgamma(a),
  );
  const t2 = tf.div(tf.mul(tf.add(tf.square(a), a), 0.5), rateSquared);
  const t3 = tf.div(tf.mul(q.loc, a), p.rate);
  const t4 = tf.mul(tf.square(q.loc), 0.5);
  const quadratic = tf.div(tf.add(tf.sub(t2, t3), t4), varNormal);
  return tf.add(tf.add(t1, tf.mul(tf.sub(a, 1), digamma(a))), quadratic);
}

/** KL(Gamma(a, b) || Gumbel(m, s)) in closed form (uses E[e^(-x / s)] = (1 + 1 / (b s))^(-a)). */
function klGammaGumbel(p: Gamma, q: Gumbel): tf.Tensor {
  const a = p.concentration;
  const rateScale = tf.mul(p.rate, q.scale);
  const locScale = tf.div(q.loc, q.scale);
  const t1 = tf.sub(tf.sub(tf.mul(tf.sub(a, 1), digamma(a)), lgamma(a)), a);
  const t2 = tf.add(tf.log(rateScale), tf.div(a, rateScale));
  const moment = tf.exp(tf.mul(tf.neg(a), log1p(tf.reciprocal(rateScale))));
  const t3 = tf.sub(tf.mul(tf.exp(locScale), moment), locScale);
  return tf.add(tf.add(t1, t2), t3);
}

/** x log x with 0 log 0 = 0. */
function xlogx(x: tf.Tensor): tf.Tensor {
  return xlogy(x, x);
}

/** KL(Uniform(l, h) || Gamma(a, b)); +Infinity where l < 0. */
function klUniformGamma(p: Uniform, q: Gamma): tf.Tensor {
  const width = tf.sub(p.high, p.low);
  const t2 = tf.sub(lgamma(q.concentration), tf.mul(q.concentration, tf.log(q.rate)));
  const meanLog = tf.div(tf.sub(tf.sub(xlogx(p.high), xlogx(p.low)), width), width);
  const t3 = tf.mul(tf.sub(1, q.concentration), meanLog);
  const t4 = tf.mul(q.rate, tf.mul(tf.add(p.high, p.low), 0.5));
  const result = tf.add(tf.sub(t2, tf.log(width)), tf.add(t3, t4));
  const outside = untracked(p.low, (low) => tf.less(low, 0));
  return tf.where(
    tf.broadcastTo(outside, result.shape),
    tf.fill(result.shape, Number.POSITIVE_INFINITY),
    result,
  );
}

registerKL(Gamma, Gamma, klGammaGamma);
registerKL(Exponential, Gamma, klExponentialGamma);
registerKL(Gamma, Exponential, klGammaExponential);
registerKL(Gamma, Normal, klGammaNormal);
registerKL(Gamma, Gumbel, klGammaGumbel);
registerKL(Uniform, Gamma, klUniformGamma);
// Support mismatches (p has mass below 0 or q is bounded): +Infinity, as in torch.
registerKL(Normal, Gamma, infiniteKl);
registerKL(Laplace, Gamma, infiniteKl);
registerKL(Gumbel, Gamma, infiniteKl);
registerKL(Gamma, Uniform, infiniteKl);
