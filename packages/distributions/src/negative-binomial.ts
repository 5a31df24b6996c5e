import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, nonNegativeInteger } from './internal/constraints.js';
import { logSigmoid, probsToLogits, TINY, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { type ProbsOrLogits, parseProbsOrLogits, sameForm } from './internal/probs-or-logits.js';
import { lgamma } from './internal/special.js';
import { poissonVariates, standardGamma, subSeed } from './internal/special-random.js';

/**
 * Options of {@link NegativeBinomial}: `totalCount` (>= 0, real) and exactly one of `probs`
 * (in [0, 1)) and `logits`, broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { NegativeBinomial, type NegativeBinomialOptions } from '@vae/distributions';
 *
 * const options: NegativeBinomialOptions = { totalCount: 3, probs: [0.2, 0.7] };
 * // totalCount p / (1 - p):
 * new NegativeBinomial(options).mean().print(); // -> [0.75, 7]
 * ```
 */
export type NegativeBinomialOptions = DistributionOptions &
  ProbsOrLogits & {
    /** Number of failures r that stops the trials: finite and >= 0 (real values allowed). */
    totalCount: ParamLike;
  };

const finiteNonNegative: Constraint = {
  description: 'finite and non-negative',
  check: (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.less(x, Number.POSITIVE_INFINITY)),
};

/** In [0, 1): with p = 1 the trials never stop. */
const halfOpenUnit: Constraint = {
  description: 'in [0, 1)',
  check: (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.less(x, 1)),
};

/**
 * The negative binomial distribution: the number of successes k = 0, 1, ... of probability
 * `probs` = sigmoid(`logits`) before `totalCount` = r failures, P(k) = C(k + r - 1, k) p^k
 * (1 - p)^r (r real, as torch); batched over the broadcast parameter shape (event shape `[]`).
 * Mean r e^l, variance mean / (1 - p), mode floor((r - 1) e^l) (at least 0). `sample` draws
 * Poisson(Gamma(r, e^-l)) on the host in float64. No `rsample`, `entropy` or `cdf` (as torch).
 * Given `probs` are clamped to [eps, 1 - eps] for logits, as in torch.
 *
 * `totalCount` and `probs`/`logits` are the (broadcast) parameters: borrowed.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { NegativeBinomial } from '@vae/distributions';
 *
 * const counts = new NegativeBinomial({ totalCount: [2, 10], logits: 0.5 }); // batchShape [2]
 * const k = counts.sample([500], 9); // [500, 2]
 * const logp = counts.logProb(k); // [500, 2]
 * console.log(k.shape, logp.shape); // -> [ 500, 2 ] [ 500, 2 ]
 * counts.dispose();
 * ```
 */
export class NegativeBinomial extends Distribution {
  /** Number of failures r `[...batch]`. */
  readonly totalCount: tf.Tensor;
  private readonly param: tf.Tensor;
  private readonly isLogits: boolean;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `totalCount`, `probs` or `logits`, exactly one (see {@link NegativeBinomialOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: NegativeBinomialOptions) {
    const scope = new ParamScope('NegativeBinomial', options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: halfOpenUnit,
      eventRank: 0,
    });
    const params = scope.broadcast({
      totalCount: scope.param('totalCount', options.totalCount, finiteNonNegative),
      param: parsed.param,
    });
    super({ batchShape: params.param.shape }, scope);
    this.totalCount = params.totalCount;
    this.param = params.param;
    this.isLogits = parsed.isLogits;
  }

  /** Success probability `[...batch]`: a new tensor; the caller owns (disposes) it. */
  probs(): tf.Tensor {
    return this.isLogits ? tf.sigmoid(this.param) : this.param.clone();
  }

  /**
   * Log-odds `[...batch]` (given probs are clamped to [eps, 1 - eps]): a new tensor; the caller
   * owns (disposes) it.
   */
  logits(): tf.Tensor {
    return this.isLogits ? this.param.clone() : tf.tidy(() => probsToLogits(this.param));
  }

  get support(): Constraint {
    return nonNegativeInteger;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    // Shape 0 (r = 0) is clamped to the smallest normal float32; its counts are zeroed below.
    const shape = tf.maximum(this.totalCount, TINY);
    const gamma = standardGamma(shape, sampleShape, subSeed(seed, 1));
    const rate = tf.mul(gamma, tf.exp(this.logits()));
    const counts = poissonVariates(rate, [], subSeed(seed, 2));
    // r = 0 stops at once: no successes.
    return tf.where(
      untaped(() => tf.equal(this.totalCount, 0)),
      tf.zerosLike(counts),
      counts,
    );
  }

  /**
   * r log sigmoid(-l) + k log sigmoid(l) + lgamma(r + k) - lgamma(k + 1) - lgamma(r),
   * `[...sample, ...batch]`; where r + k = 0 the normalizer is 0 (P(0) = 1 at r = 0).
   */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const k = this.checkedValue(value);
      const r = this.totalCount;
      const l = this.logits();
      const unnormalized = tf.add(tf.mul(r, logSigmoid(tf.neg(l))), tf.mul(k, logSigmoid(l)));
      const both = tf.add(r, k);
      const empty = untaped(() => tf.equal(both, 0));
      const safe = (x: tf.Tensor) => tf.where(empty, tf.onesLike(x), x);
      const normalizer = tf.sub(
        tf.add(lgamma(tf.add(k, 1)), lgamma(safe(tf.broadcastTo(r, both.shape)))),
        lgamma(safe(both)),
      );
      return tf.sub(unnormalized, tf.where(empty, tf.zerosLike(normalizer), normalizer));
    });
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => tf.mul(this.totalCount, tf.exp(this.logits())));
  }

  /** mean / (1 - p). A new tensor; the caller owns (disposes) it. */
  override variance(): tf.Tensor {
    return tf.tidy(() => tf.div(this.mean(), tf.sigmoid(tf.neg(this.logits()))));
  }

  /** floor((r - 1) e^l), at least 0. A new tensor; the caller owns (disposes) it. */
  override mode(): tf.Tensor {
    return tf.tidy(() =>
      tf.relu(tf.floor(tf.mul(tf.sub(this.totalCount, 1), tf.exp(this.logits())))),
    );
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): NegativeBinomial {
    return new NegativeBinomial({
      totalCount: map.param(this.totalCount),
      ...sameForm(this.isLogits, map.param(this.param)),
      validateArgs: this.validateArgs,
    });
  }
}
