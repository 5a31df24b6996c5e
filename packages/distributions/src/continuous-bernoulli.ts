import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { Exponential } from './exponential.js';
import { Gumbel } from './gumbel.js';
import { type Constraint, unitInterval } from './internal/constraints.js';
import { infiniteKl } from './internal/infinite-kl.js';
import {
  clampProbs,
  LOG_2PI,
  openUniform,
  probsToLogits,
  softplus,
  untaped,
} from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { type ProbsOrLogits, parseProbsOrLogits, sameForm } from './internal/probs-or-logits.js';
import { registerKL } from './kl-registry.js';
import { Laplace } from './laplace.js';
import { Normal } from './normal.js';
import { Uniform } from './uniform.js';

/**
 * Options of {@link ContinuousBernoulli}: exactly one of `probs` (in [0, 1]) and `logits`.
 *
 * @example
 * ```ts
 * const options: ContinuousBernoulliOptions = { logits: decoderOutput, validateArgs: false };
 * ```
 */
export type ContinuousBernoulliOptions = DistributionOptions & ProbsOrLogits;

// Near probs = 1/2 the closed forms cancel catastrophically. The log normalizer, mean and variance
// switch to Taylor series in d = probs - 1/2 (through d^8) on (0.4, 0.6): in float32 the closed
// variance is off by 0.17 at d = 0.001 and 1e-5 at d = 0.05, while the series' truncation error
// at |d| = 0.1 is below 6e-9. (torch uses (0.499, 0.501) and a series whose d^4 term of the
// variance has the wrong sign.) cdf and icdf keep torch's narrow region, where they are ~uniform.
const SERIES_LOW = 0.4;
const SERIES_HIGH = 0.6;
const LOW = 0.499;
const HIGH = 0.501;
// Coefficients of x^0, x^1, ... (x = d^2) after the leading term, from the series to d^8.
const LOG_NORM_SERIES = [4 / 3, 104 / 45, 16064 / 2835, 227264 / 14175];
const MEAN_SERIES = [1 / 3, 16 / 45, 704 / 945, 27392 / 14175];
const VARIANCE_SERIES = [1 / 15, 128 / 945, 4864 / 14175, 151552 / 155925];

/** c0 + c1 x + c2 x^2 + ... by Horner's rule. */
function polynomial(x: tf.Tensor, coefficients: readonly number[]): tf.Tensor {
  let result: tf.Tensor = tf.fill(x.shape, coefficients[coefficients.length - 1]!);
  for (let i = coefficients.length - 2; i >= 0; i--)
    result = tf.add(tf.mul(result, x), coefficients[i]!);
  return result;
}

/**
 * The continuous Bernoulli on [0, 1] (Loaiza-Ganem and Cunningham 2019): density
 * C(λ) λ^x (1 - λ)^(1 - x) with λ = `probs` = sigmoid(`logits`), the decoder for pixel
 * intensities in [0, 1]. The log normalizer, mean and variance use a Taylor expansion for
 * λ near 1/2, as torch does. `rsample` is `icdf(u)` with `u ~ U(0, 1)` (gradients flow to λ).
 *
 * @example
 * ```ts
 * const decoder = new ContinuousBernoulli({ logits, validateArgs: false }); // [batch, 784]
 * const logLikelihood = tf.sum(decoder.logProb(intensities), -1); // [batch]
 * ```
 */
export class ContinuousBernoulli extends Distribution {
  private readonly param: tf.Tensor;
  private readonly isLogits: boolean;

  constructor(options: ContinuousBernoulliOptions) {
    const scope = new ParamScope('ContinuousBernoulli', options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: unitInterval,
      eventRank: 0,
    });
    super({ batchShape: parsed.param.shape }, scope);
    this.param = parsed.param;
    this.isLogits = parsed.isLogits;
  }

  /** λ `[...batch]` (clamped to [eps, 1 - eps] when built from logits; a new tensor). */
  get probs(): tf.Tensor {
    return this.isLogits ? tf.tidy(() => clampProbs(tf.sigmoid(this.param))) : this.param.clone();
  }

  /** log(λ / (1 - λ)) `[...batch]` (a new tensor). */
  get logits(): tf.Tensor {
    return this.isLogits ? this.param.clone() : tf.tidy(() => probsToLogits(this.param));
  }

  get support(): Constraint {
    return unitInterval;
  }

  override get hasRsample(): boolean {
    return true;
  }

  private outside(probs: tf.Tensor, low = LOW, high = HIGH): tf.Tensor {
    return untaped(() => tf.logicalOr(tf.lessEqual(probs, low), tf.greater(probs, high)));
  }

  /** λ outside the unstable region, `low` inside it (so both `where` branches stay finite). */
  private cutProbs(probs: tf.Tensor, low = LOW, high = HIGH): tf.Tensor {
    return tf.where(this.outside(probs, low, high), probs, tf.fill(probs.shape, low));
  }

  /** The series region's mask and cut probabilities, and x = (λ - 1/2)^2. */
  private series(probs: tf.Tensor): {
    outside: tf.Tensor;
    cut: tf.Tensor;
    d: tf.Tensor;
    x: tf.Tensor;
  } {
    const d = tf.sub(probs, 0.5);
    return {
      outside: this.outside(probs, SERIES_LOW, SERIES_HIGH),
      cut: this.cutProbs(probs, SERIES_LOW, SERIES_HIGH),
      d,
      x: tf.square(d),
    };
  }

  /** log C(λ) `[...batch]`. */
  logNormalizer(): tf.Tensor {
    return tf.tidy(() => {
      const { outside, cut, x } = this.series(this.probs);
      const belowHalf = untaped(() => tf.lessEqual(cut, 0.5));
      const cutBelow = tf.where(belowHalf, cut, tf.zerosLike(cut));
      const cutAbove = tf.where(
        untaped(() => tf.greaterEqual(cut, 0.5)),
        cut,
        tf.onesLike(cut),
      );
      const logRatio = tf.log(tf.abs(tf.sub(tf.log1p(tf.neg(cut)), tf.log(cut))));
      const logDenominator = tf.where(
        belowHalf,
        tf.log1p(tf.mul(cutBelow, -2)),
        tf.log(tf.sub(tf.mul(cutAbove, 2), 1)),
      );
      const taylor = tf.add(Math.LN2, tf.mul(x, polynomial(x, LOG_NORM_SERIES)));
      return tf.where(outside, tf.sub(logRatio, logDenominator), taylor);
    });
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return this.icdfOf(openUniform(this.extendedShape(sampleShape), seed));
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const l = this.logits;
      const bce = tf.add(tf.mul(x, softplus(tf.neg(l))), tf.mul(tf.sub(1, x), softplus(l)));
      return tf.sub(this.logNormalizer(), bce);
    });
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const probs = this.probs;
      const log0 = tf.log1p(tf.neg(probs));
      const log1 = tf.log(probs);
      return tf.sub(tf.sub(tf.mul(this.mean, tf.sub(log0, log1)), this.logNormalizer()), log0);
    });
  }

  override get mean(): tf.Tensor {
    return tf.tidy(() => {
      const { outside, cut, d, x } = this.series(this.probs);
      const closed = tf.add(
        tf.div(cut, tf.sub(tf.mul(cut, 2), 1)),
        tf.reciprocal(tf.sub(tf.log1p(tf.neg(cut)), tf.log(cut))),
      );
      const taylor = tf.add(0.5, tf.mul(d, polynomial(x, MEAN_SERIES)));
      return tf.where(outside, closed, taylor);
    });
  }

  override get variance(): tf.Tensor {
    return tf.tidy(() => {
      const { outside, cut, x } = this.series(this.probs);
      const closed = tf.add(
        tf.div(tf.mul(cut, tf.sub(cut, 1)), tf.square(tf.sub(1, tf.mul(cut, 2)))),
        tf.reciprocal(tf.square(tf.sub(tf.log1p(tf.neg(cut)), tf.log(cut)))),
      );
      const taylor = tf.sub(1 / 12, tf.mul(x, polynomial(x, VARIANCE_SERIES)));
      return tf.where(outside, closed, taylor);
    });
  }

  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value, 'cdf');
      const probs = this.probs;
      const cut = this.cutProbs(probs);
      const powered = tf.mul(tf.pow(cut, x), tf.pow(tf.sub(1, cut), tf.sub(1, x)));
      const closed = tf.div(tf.add(powered, tf.sub(cut, 1)), tf.sub(tf.mul(cut, 2), 1));
      const inside = tf.where(this.outside(probs), closed, tf.broadcastTo(x, closed.shape));
      return tf.where(
        untaped(() => tf.lessEqual(x, 0)),
        tf.zerosLike(inside),
        tf.where(
          untaped(() => tf.greaterEqual(x, 1)),
          tf.onesLike(inside),
          inside,
        ),
      );
    });
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => this.icdfOf(this.checkedValue(p, 'icdf', unitInterval)));
  }

  private icdfOf(u: tf.Tensor): tf.Tensor {
    const probs = this.probs;
    const cut = this.cutProbs(probs);
    const log1mCut = tf.log1p(tf.neg(cut));
    const numerator = tf.sub(
      tf.log1p(tf.add(tf.neg(cut), tf.mul(u, tf.sub(tf.mul(cut, 2), 1)))),
      log1mCut,
    );
    const closed = tf.div(numerator, tf.sub(tf.log(cut), log1mCut));
    return tf.where(this.outside(probs), closed, tf.broadcastTo(u, closed.shape));
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): ContinuousBernoulli {
    return new ContinuousBernoulli({
      ...sameForm(this.isLogits, map.param(this.param)),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(CB(λp) || CB(λq)) = mean_p (l_p - l_q) + log C(λp) + log(1 - λp) - log C(λq) - log(1 - λq). */
function klContinuousBernoulli(p: ContinuousBernoulli, q: ContinuousBernoulli): tf.Tensor {
  const t1 = tf.mul(p.mean, tf.sub(p.logits, q.logits));
  const t2 = tf.add(p.logNormalizer(), tf.log1p(tf.neg(p.probs)));
  const t3 = tf.add(q.logNormalizer(), tf.log1p(tf.neg(q.probs)));
  return tf.sub(tf.add(t1, t2), t3);
}

registerKL(ContinuousBernoulli, ContinuousBernoulli, klContinuousBernoulli);

/** KL(CB || Normal), torch's closed form. */
function klContinuousBernoulliNormal(p: ContinuousBernoulli, q: Normal): tf.Tensor {
  const t2 = tf.add(
    tf.mul(tf.add(LOG_2PI, tf.square(tf.div(q.loc, q.scale))), 0.5),
    tf.log(q.scale),
  );
  const mean = p.mean;
  const t3 = tf.div(
    tf.sub(tf.add(p.variance, tf.square(mean)), tf.mul(tf.mul(q.loc, mean), 2)),
    tf.mul(tf.square(q.scale), 2),
  );
  return tf.add(tf.sub(t2, p.entropy()), t3);
}

/** KL(CB || Exponential) = -H(p) - log rate + rate E_p[x]. */
function klContinuousBernoulliExponential(p: ContinuousBernoulli, q: Exponential): tf.Tensor {
  return tf.add(tf.neg(tf.add(p.entropy(), tf.log(q.rate))), tf.mul(q.rate, p.mean));
}

/** KL(CB || Uniform) = -H(p) + log(high - low); +Infinity unless [0, 1] lies in [low, high]. */
function klContinuousBernoulliUniform(p: ContinuousBernoulli, q: Uniform): tf.Tensor {
  const result = tf.add(tf.neg(p.entropy()), tf.log(tf.sub(q.high, q.low)));
  const outside = untaped(() => tf.logicalOr(tf.greater(q.low, 0), tf.less(q.high, 1)));
  return tf.where(outside, tf.fill(result.shape, Number.POSITIVE_INFINITY), result);
}

/** KL(Uniform || CB) = -H(p) - E_p[x] l_q - log(1 - λq) - log C(λq); +Infinity outside [0, 1]. */
function klUniformContinuousBernoulli(p: Uniform, q: ContinuousBernoulli): tf.Tensor {
  const result = tf.sub(
    tf.sub(tf.neg(tf.add(p.entropy(), tf.mul(p.mean, q.logits))), tf.log1p(tf.neg(q.probs))),
    q.logNormalizer(),
  );
  const outside = untaped(() => tf.logicalOr(tf.less(p.low, 0), tf.greater(p.high, 1)));
  return tf.where(outside, tf.fill(result.shape, Number.POSITIVE_INFINITY), result);
}

registerKL(ContinuousBernoulli, Normal, klContinuousBernoulliNormal);
registerKL(ContinuousBernoulli, Exponential, klContinuousBernoulliExponential);
registerKL(ContinuousBernoulli, Uniform, klContinuousBernoulliUniform);
registerKL(Uniform, ContinuousBernoulli, klUniformContinuousBernoulli);
// Support mismatches: these put mass outside [0, 1].
registerKL(Normal, ContinuousBernoulli, infiniteKl);
registerKL(Laplace, ContinuousBernoulli, infiniteKl);
registerKL(Gumbel, ContinuousBernoulli, infiniteKl);
registerKL(Exponential, ContinuousBernoulli, infiniteKl);
