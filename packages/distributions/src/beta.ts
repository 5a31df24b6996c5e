import * as tf from '@tensorflow/tfjs-core';
import { ContinuousBernoulli } from './continuous-bernoulli.js';
import { type BatchMapper, Distribution } from './distribution.js';
import { Exponential } from './exponential.js';
import { Gamma } from './gamma.js';
import { Gumbel } from './gumbel.js';
import { betaDraw } from './internal/beta-random.js';
import { type Constraint, positive, unitInterval } from './internal/constraints.js';
import { infiniteKl } from './internal/infinite-kl.js';
import { LOG_2PI, softplus } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { digamma, lgamma, logBeta, untracked, xlogy } from './internal/special.js';
import { registerKL } from './kl-registry.js';
import { Laplace } from './laplace.js';
import { Normal } from './normal.js';
import { Uniform } from './uniform.js';

/** Options of {@link Beta}: the two concentrations broadcast to the batch shape. */
export interface BetaOptions extends DistributionOptions {
  /** alpha, the exponent of x, positive. */
  concentration1: ParamLike;
  /** beta, the exponent of 1 - x, positive. */
  concentration0: ParamLike;
}

/**
 * The Beta distribution on [0, 1] with density x^(a - 1) (1 - x)^(b - 1) / B(a, b), a =
 * `concentration1`, b = `concentration0`, batched over their broadcast shape (event shape `[]`).
 * Samples are X / (X + Y) for X ~ Gamma(a), Y ~ Gamma(b), computed in log space as
 * sigmoid(log X - log Y) and clamped into (0, 1); `rsample`
 * differentiates through them (implicit reparameterization of the Gamma draws).
 *
 * `concentration1` and `concentration0` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Beta } from '@vae/distributions';
 *
 * const beta = new Beta({ concentration1: [0.5, 2], concentration0: [0.5, 5] }); // batchShape [2]
 * const x = beta.sample([1000], 3); // [1000, 2], in (0, 1)
 * const logp = beta.logProb(x); // [1000, 2]
 * const h = beta.entropy(); // [2]
 * console.log(x.shape, logp.shape);
 * h.print();
 * beta.dispose();
 * ```
 */
export class Beta extends Distribution {
  /** The `concentration1` (alpha) parameter as a float32 tensor, broadcast to the batch shape. */
  readonly concentration1: tf.Tensor;
  /** The `concentration0` (beta) parameter as a float32 tensor, broadcast to the batch shape. */
  readonly concentration0: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `concentration1`, `concentration0` (see {@link BetaOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: BetaOptions) {
    const scope = new ParamScope('Beta', options);
    const params = scope.broadcast({
      concentration1: scope.param('concentration1', options.concentration1, positive),
      concentration0: scope.param('concentration0', options.concentration0, positive),
    });
    super({ batchShape: params.concentration1.shape }, scope);
    this.concentration1 = params.concentration1;
    this.concentration0 = params.concentration0;
  }

  get support(): Constraint {
    return unitInterval;
  }

  /** Reparameterized through the two Gamma draws (implicit reparameterization). */
  override get hasRsample(): boolean {
    return true;
  }

  /** X / (X + Y) computed as sigmoid(log X - log Y) on the host (see `betaDraw`). */
  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return betaDraw({ a: this.concentration1, b: this.concentration0 }, sampleShape, seed);
  }

  /** (a - 1) log x + (b - 1) log(1 - x) - log B(a, b), with 0 log 0 = 0 at the ends. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const a = this.concentration1;
      const b = this.concentration0;
      const body = tf.add(xlogy(tf.sub(a, 1), x), xlogy(tf.sub(b, 1), tf.sub(1, x)));
      return tf.sub(body, logBeta(a, b));
    });
  }

  /** log B(a, b) - (a - 1) psi(a) - (b - 1) psi(b) + (a + b - 2) psi(a + b). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const total = tf.add(a, b);
      const parts = tf.add(tf.mul(tf.sub(a, 1), digamma(a)), tf.mul(tf.sub(b, 1), digamma(b)));
      return tf.add(tf.sub(logBeta(a, b), parts), tf.mul(tf.sub(total, 2), digamma(total)));
    });
  }

  override mean(): tf.Tensor {
    return tf.tidy(() =>
      tf.div(this.concentration1, tf.add(this.concentration1, this.concentration0)),
    );
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const total = tf.add(a, b);
      return tf.div(tf.mul(a, b), tf.mul(tf.square(total), tf.add(total, 1)));
    });
  }

  /**
   * (a - 1) / (a + b - 2) where both exceed 1; as torch: with one concentration below 1 the
   * mode is the end it piles up at (0 or 1), and with both below 1 the end with the larger one.
   * A new tensor; the caller owns (disposes) it.
   */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const a1 = tf.relu(tf.sub(this.concentration1, 1));
      const b1 = tf.relu(tf.sub(this.concentration0, 1));
      const interior = tf.div(a1, tf.add(a1, b1));
      const bothBelow = tf.logicalAnd(
        tf.less(this.concentration1, 1),
        tf.less(this.concentration0, 1),
      );
      const end = tf.cast(tf.greaterEqual(this.concentration1, this.concentration0), 'float32');
      return tf.where(bothBelow, end, interior);
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Beta {
    return new Beta({
      concentration1: map.param(this.concentration1),
      concentration0: map.param(this.concentration0),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(Beta(a1, b1) || Beta(a2, b2)) in closed form. */
export function klBetaBeta(p: Beta, q: Beta): tf.Tensor {
  const pSum = tf.add(p.concentration1, p.concentration0);
  const qSum = tf.add(q.concentration1, q.concentration0);
  const t1 = tf.sub(
    logBeta(q.concentration1, q.concentration0),
    logBeta(p.concentration1, p.concentration0),
  );
  const t3 = tf.mul(tf.sub(p.concentration1, q.concentration1), digamma(p.concentration1));
  const t4 = tf.mul(tf.sub(p.concentration0, q.concentration0), digamma(p.concentration0));
  const t5 = tf.mul(tf.sub(qSum, pSum), digamma(pSum));
  return tf.add(tf.add(t1, t3), tf.add(t4, t5));
}

/** E_p[x] for a Beta p. */
function betaMean(p: Beta): tf.Tensor {
  return tf.div(p.concentration1, tf.add(p.concentration1, p.concentration0));
}

/** KL(Beta || ContinuousBernoulli(l)) = -H(p) - E[x] logit(l) - log(1 - l) - log C(l), from the logits. */
function klBetaContinuousBernoulli(p: Beta, q: ContinuousBernoulli): tf.Tensor {
  const cross = tf.sub(tf.mul(betaMean(p), q.logits()), softplus(q.logits()));
  return tf.sub(tf.sub(tf.neg(p.entropy()), cross), q.logNormalizer());
}

/** KL(Beta || Exponential(l)) = -H(p) - log(l) + l E[x]. */
function klBetaExponential(p: Beta, q: Exponential): tf.Tensor {
  return tf.add(tf.neg(p.entropy()), tf.sub(tf.mul(q.rate, betaMean(p)), tf.log(q.rate)));
}

/** KL(Beta || Gamma(a, b)) = -H(p) + lgamma(a) - a log b - (a - 1) E[log x] + b E[x]. */
function klBetaGamma(p: Beta, q: Gamma): tf.Tensor {
  const meanLog = tf.sub(
    digamma(p.concentration1),
    digamma(tf.add(p.concentration1, p.concentration0)),
  );
  const t2 = tf.sub(lgamma(q.concentration), tf.mul(q.concentration, tf.log(q.rate)));
  const t3 = tf.mul(tf.sub(q.concentration, 1), meanLog);
  const t4 = tf.mul(q.rate, betaMean(p));
  return tf.add(tf.sub(tf.add(tf.neg(p.entropy()), t2), t3), t4);
}

/** KL(Beta || Normal(m, s)) = -H(p) + log(2 pi s^2) / 2 + E[(x - m)^2] / (2 s^2). */
function klBetaNormal(p: Beta, q: Normal): tf.Tensor {
  const mean = betaMean(p);
  const varNormal = tf.square(q.scale);
  const total = tf.add(p.concentration1, p.concentration0);
  const secondMoment = tf.add(
    tf.div(tf.mul(mean, tf.sub(1, mean)), tf.add(total, 1)),
    tf.square(mean),
  );
  const t2 = tf.mul(tf.add(tf.log(varNormal), LOG_2PI), 0.5);
  const quadratic = tf.add(
    tf.sub(tf.mul(secondMoment, 0.5), tf.mul(q.loc, mean)),
    tf.mul(tf.square(q.loc), 0.5),
  );
  return tf.add(tf.add(tf.neg(p.entropy()), t2), tf.div(quadratic, varNormal));
}

function infiniteWhere(outside: tf.Tensor, result: tf.Tensor): tf.Tensor {
  return tf.where(
    tf.broadcastTo(outside, result.shape),
    tf.fill(result.shape, Number.POSITIVE_INFINITY),
    result,
  );
}

/** KL(Beta || Uniform(l, h)) = -H(p) + log(h - l); +Infinity unless [0, 1] lies in [l, h]. */
function klBetaUniform(p: Beta, q: Uniform): tf.Tensor {
  const result = tf.add(tf.neg(p.entropy()), tf.log(tf.sub(q.high, q.low)));
  const outside = untracked(tf.stack([q.low, q.high]), (bounds) => {
    const [low, high] = tf.unstack(bounds);
    return tf.logicalOr(tf.greater(low!, 0), tf.less(high!, 1));
  });
  return infiniteWhere(outside, result);
}

/** x log x with 0 log 0 = 0. */
function xlogx(x: tf.Tensor): tf.Tensor {
  return xlogy(x, x);
}

/** KL(Uniform(l, h) || Beta(a, b)); +Infinity unless [l, h] lies in [0, 1]. */
function klUniformBeta(p: Uniform, q: Beta): tf.Tensor {
  const width = tf.sub(p.high, p.low);
  // E_p[log x] and E_p[log(1 - x)] for x uniform on [l, h].
  const meanLog = tf.div(tf.sub(tf.sub(xlogx(p.high), xlogx(p.low)), width), width);
  const meanLog1m = tf.div(
    tf.add(
      tf.sub(tf.neg(xlogx(tf.sub(1, p.high))), tf.neg(xlogx(tf.sub(1, p.low)))),
      tf.neg(width),
    ),
    width,
  );
  const cross = tf.add(
    tf.mul(tf.sub(q.concentration1, 1), meanLog),
    tf.mul(tf.sub(q.concentration0, 1), meanLog1m),
  );
  const result = tf.sub(tf.sub(logBeta(q.concentration1, q.concentration0), cross), tf.log(width));
  const outside = untracked(tf.stack([p.low, p.high]), (bounds) => {
    const [low, high] = tf.unstack(bounds);
    return tf.logicalOr(tf.less(low!, 0), tf.greater(high!, 1));
  });
  return infiniteWhere(outside, result);
}

registerKL(Beta, Beta, klBetaBeta);
registerKL(Beta, ContinuousBernoulli, klBetaContinuousBernoulli);
registerKL(Beta, Exponential, klBetaExponential);
registerKL(Beta, Gamma, klBetaGamma);
registerKL(Beta, Normal, klBetaNormal);
registerKL(Beta, Uniform, klBetaUniform);
registerKL(Uniform, Beta, klUniformBeta);
// Support mismatches (p has mass outside [0, 1]): +Infinity, as in torch.
registerKL(Normal, Beta, infiniteKl);
registerKL(Laplace, Beta, infiniteKl);
registerKL(Gumbel, Beta, infiniteKl);
registerKL(Exponential, Beta, infiniteKl);
registerKL(Gamma, Beta, infiniteKl);
