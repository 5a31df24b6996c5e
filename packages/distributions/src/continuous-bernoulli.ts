import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { Exponential } from './exponential.js';
import { Gamma } from './gamma.js';
import { Gumbel } from './gumbel.js';
import { type Constraint, unitInterval } from './internal/constraints.js';
import {
  cdfFromLogits,
  entropyFromLogits,
  icdfFromLogits,
  logNormalizerFromLogits,
  meanFromLogits,
  varianceFromLogits,
} from './internal/continuous-bernoulli-math.js';
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
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { ContinuousBernoulli, type ContinuousBernoulliOptions } from '@vae/distributions';
 *
 * const decoderOutput = tf.tensor2d([[-2, 0, 3]]); // logits [batch, pixels]
 * const options: ContinuousBernoulliOptions = { logits: decoderOutput, validateArgs: false };
 * new ContinuousBernoulli(options).mean().print(); // -> [[0.3435, 0.5, 0.7191]]
 * ```
 */
export type ContinuousBernoulliOptions = DistributionOptions & ProbsOrLogits;

// Near probs = 1/2 the closed forms cancel catastrophically. The log normalizer, mean and variance
// switch to Taylor series in d = probs - 1/2 (through d^8) on (0.4, 0.6): in float32 the closed
// variance is off by 0.17 at d = 0.001 and 1e-5 at d = 0.05, while the series' truncation error
// at |d| = 0.1 is below 6e-9. (torch uses (0.499, 0.501) and a series whose d^4 term of the
// variance has the wrong sign.)
const SERIES_LOW = 0.4;
const SERIES_HIGH = 0.6;
// cdf and icdf are ratios of expm1's, accurate down to |l| = 1e-3 where a first-order
// expansion in l (error below 1e-7) replaces them (torch returns x itself for λ in (0.499, 0.501)).
const NEAR_UNIFORM = 1e-3;
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
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { ContinuousBernoulli } from '@vae/distributions';
 *
 * const logits = tf.zeros([2, 784]); // decoder outputs [batch, pixels]
 * const intensities = tf.fill([2, 784], 0.5); // grey images in [0, 1]
 * const decoder = new ContinuousBernoulli({ logits, validateArgs: false });
 * const logLikelihood = tf.sum(decoder.logProb(intensities), -1); // [batch]
 * // At logits 0 the density is 1 everywhere:
 * logLikelihood.print(); // -> [0, 0]
 * ```
 */
export class ContinuousBernoulli extends Distribution {
  private readonly param: tf.Tensor;
  private readonly isLogits: boolean;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `probs` or `logits`, exactly one (see {@link ContinuousBernoulliOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
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

  /**
   * λ `[...batch]` (clamped to [eps, 1 - eps] when built from logits): a new tensor; the caller
   * owns (disposes) it.
   */
  probs(): tf.Tensor {
    return this.isLogits ? tf.tidy(() => clampProbs(tf.sigmoid(this.param))) : this.param.clone();
  }

  /** log(λ / (1 - λ)) `[...batch]`: a new tensor; the caller owns (disposes) it. */
  logits(): tf.Tensor {
    return this.isLogits ? this.param.clone() : tf.tidy(() => probsToLogits(this.param));
  }

  get support(): Constraint {
    return unitInterval;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** True where λ lies outside (0.4, 0.6), where the closed forms are used. */
  private outsideSeries(probs: tf.Tensor): tf.Tensor {
    return untaped(() =>
      tf.logicalOr(tf.lessEqual(probs, SERIES_LOW), tf.greater(probs, SERIES_HIGH)),
    );
  }

  /** Logits where `keep`, 1 elsewhere (so the closed forms stay finite in the unused branch). */
  private cutLogits(keep: tf.Tensor): tf.Tensor {
    const l = this.logits();
    return tf.where(keep, l, tf.onesLike(l));
  }

  /** The series region's mask, d = λ - 1/2 and x = d^2. */
  private series(): { outside: tf.Tensor; d: tf.Tensor; x: tf.Tensor } {
    const d = tf.sub(this.probs(), 0.5);
    return { outside: this.outsideSeries(this.probs()), d, x: tf.square(d) };
  }

  /** log C(λ) `[...batch]`, from the logits (so logits of ±30 keep their value). */
  logNormalizer(): tf.Tensor {
    return tf.tidy(() => {
      const { outside, x } = this.series();
      const taylor = tf.add(Math.LN2, tf.mul(x, polynomial(x, LOG_NORM_SERIES)));
      return tf.where(outside, logNormalizerFromLogits(this.cutLogits(outside)), taylor);
    });
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return this.icdfOf(openUniform(this.extendedShape(sampleShape), seed));
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const l = this.logits();
      const bce = tf.add(tf.mul(x, softplus(tf.neg(l))), tf.mul(tf.sub(1, x), softplus(l)));
      return tf.sub(this.logNormalizer(), bce);
    });
  }

  /** softplus(l) - l E[x] - log C. */
  override entropy(): tf.Tensor {
    return tf.tidy(() => entropyFromLogits(this.logits(), this.mean(), this.logNormalizer()));
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => {
      const { outside, d, x } = this.series();
      const taylor = tf.add(0.5, tf.mul(d, polynomial(x, MEAN_SERIES)));
      return tf.where(outside, meanFromLogits(this.cutLogits(outside)), taylor);
    });
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const { outside, x } = this.series();
      const taylor = tf.sub(1 / 12, tf.mul(x, polynomial(x, VARIANCE_SERIES)));
      return tf.where(outside, varianceFromLogits(this.cutLogits(outside)), taylor);
    });
  }

  /** True where |l| >= NEAR_UNIFORM, where cdf and icdf use their closed forms. */
  private awayFromUniform(): tf.Tensor {
    const l = this.logits();
    return untaped(() => tf.greaterEqual(tf.abs(l), NEAR_UNIFORM));
  }

  /** expm1(x l) / expm1(l), from the logits; x + l x (x - 1) / 2 for |l| < 1e-3. */
  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value, 'cdf');
      const away = this.awayFromUniform();
      const l = this.logits();
      const inUnit = tf.clipByValue(x, 0, 1);
      const closed = cdfFromLogits(this.cutLogits(away), inUnit);
      const taylor = tf.add(inUnit, tf.mul(tf.mul(l, 0.5), tf.mul(inUnit, tf.sub(inUnit, 1))));
      return tf.where(tf.broadcastTo(away, closed.shape), closed, taylor);
    });
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => this.icdfOf(this.checkedValue(p, 'icdf', unitInterval)));
  }

  /** log1p(u expm1(l)) / l, from the logits; u + l u (1 - u) / 2 for |l| < 1e-3. */
  private icdfOf(u: tf.Tensor): tf.Tensor {
    const away = this.awayFromUniform();
    const l = this.logits();
    const closed = icdfFromLogits(this.cutLogits(away), u);
    const taylor = tf.add(u, tf.mul(tf.mul(l, 0.5), tf.mul(u, tf.sub(1, u))));
    return tf.where(tf.broadcastTo(away, closed.shape), closed, taylor);
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
  const t1 = tf.mul(p.mean(), tf.sub(p.logits(), q.logits()));
  const t2 = tf.sub(p.logNormalizer(), softplus(p.logits()));
  const t3 = tf.sub(q.logNormalizer(), softplus(q.logits()));
  return tf.sub(tf.add(t1, t2), t3);
}

registerKL(ContinuousBernoulli, ContinuousBernoulli, klContinuousBernoulli);

/** KL(CB || Normal), torch's closed form. */
function klContinuousBernoulliNormal(p: ContinuousBernoulli, q: Normal): tf.Tensor {
  const t2 = tf.add(
    tf.mul(tf.add(LOG_2PI, tf.square(tf.div(q.loc, q.scale))), 0.5),
    tf.log(q.scale),
  );
  const mean = p.mean();
  const t3 = tf.div(
    tf.sub(tf.add(p.variance(), tf.square(mean)), tf.mul(tf.mul(q.loc, mean), 2)),
    tf.mul(tf.square(q.scale), 2),
  );
  return tf.add(tf.sub(t2, p.entropy()), t3);
}

/** KL(CB || Exponential) = -H(p) - log rate + rate E_p[x]. */
function klContinuousBernoulliExponential(p: ContinuousBernoulli, q: Exponential): tf.Tensor {
  return tf.add(tf.neg(tf.add(p.entropy(), tf.log(q.rate))), tf.mul(q.rate, p.mean()));
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
    tf.add(tf.neg(tf.add(p.entropy(), tf.mul(p.mean(), q.logits()))), softplus(q.logits())),
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
registerKL(Gamma, ContinuousBernoulli, infiniteKl);
