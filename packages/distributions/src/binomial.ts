import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, nonNegativeInteger, unitInterval } from './internal/constraints.js';
import { binomialVariates } from './internal/discrete-random.js';
import { infiniteKl } from './internal/infinite-kl.js';
import { probsToLogits, softplus, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { type ProbsOrLogits, parseProbsOrLogits, sameForm } from './internal/probs-or-logits.js';
import { lgamma } from './internal/special.js';
import { registerKL } from './kl-registry.js';
import { Poisson } from './poisson.js';

/**
 * Options of {@link Binomial}: `totalCount` (default 1) and exactly one of `probs` (in [0, 1])
 * and `logits`, broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Binomial, type BinomialOptions } from '@vae/distributions';
 *
 * const options: BinomialOptions = { totalCount: [5, 10], probs: 0.3 };
 * new Binomial(options).mean().print(); // -> [1.5, 3]
 * ```
 */
export type BinomialOptions = DistributionOptions &
  ProbsOrLogits & {
    /** Number of trials: non-negative integers (float32 or int32), default 1. */
    totalCount?: ParamLike;
  };

/** Integers in `[0, totalCount]` (the bound broadcasts against the value). */
function countsUpTo(totalCount: tf.Tensor): Constraint {
  return {
    description: 'an integer in [0, totalCount]',
    check: (x) => tf.logicalAnd(nonNegativeInteger.check(x), tf.lessEqual(x, totalCount)),
  };
}

/**
 * log P(k) = log C(n, k) + k l - n softplus(l) for logits l, stable at large |l|
 * (torch's form). Differentiable in `logits` and `totalCount`.
 */
export function binomialLogPmf(totalCount: tf.Tensor, logits: tf.Tensor, k: tf.Tensor): tf.Tensor {
  const logChoose = tf.sub(
    lgamma(tf.add(totalCount, 1)),
    tf.add(lgamma(tf.add(k, 1)), lgamma(tf.add(tf.sub(totalCount, k), 1))),
  );
  return tf.add(logChoose, tf.sub(tf.mul(k, logits), tf.mul(totalCount, softplus(logits))));
}

/** The largest total count, read back (entropy and KL enumerate 0..max). */
function maxCount(totalCount: tf.Tensor): number {
  return tf.tidy(() => tf.max(totalCount).dataSync()[0]!);
}

/**
 * The binomial distribution: the number of successes in `totalCount` independent trials of
 * probability `probs` = sigmoid(`logits`), batched over the broadcast shape of its parameters
 * (event shape `[]`). `sample` returns float32 counts drawn on the host in float64 (inversion
 * for small means, Hormann's BTRS above). `entropy` sums -P(k) log P(k) over k = 0..max
 * totalCount (exact; totalCount may differ across the batch, unlike torch). No `rsample`, no
 * `cdf` (as torch). Given `probs` are clamped to [eps, 1 - eps] for logits, as in torch.
 *
 * `totalCount` and `probs`/`logits` are the (broadcast) parameters: borrowed, do not dispose
 * them.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Binomial } from '@vae/distributions';
 *
 * const binomial = new Binomial({ totalCount: [5, 10, 20], probs: 0.3 }); // batchShape [3]
 * const k = binomial.sample([100], 7); // [100, 3], float32 counts
 * const logp = binomial.logProb(k); // [100, 3]
 * console.log(k.shape, logp.shape); // -> [ 100, 3 ] [ 100, 3 ]
 * binomial.dispose();
 * ```
 */
export class Binomial extends Distribution {
  /** Number of trials `[...batch]`. */
  readonly totalCount: tf.Tensor;
  private readonly param: tf.Tensor;
  private readonly isLogits: boolean;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `totalCount`, `probs` or `logits`, exactly one (see {@link BinomialOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: BinomialOptions) {
    const scope = new ParamScope('Binomial', options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: unitInterval,
      eventRank: 0,
    });
    const params = scope.broadcast({
      totalCount: scope.param('totalCount', options.totalCount ?? 1, nonNegativeInteger),
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
    return countsUpTo(this.totalCount);
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return binomialVariates(
      { totalCount: this.totalCount, probs: this.probs() },
      sampleShape,
      seed,
    );
  }

  /** log C(n, k) + k logits - n softplus(logits), `[...sample, ...batch]`. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => binomialLogPmf(this.totalCount, this.logits(), this.checkedValue(value)));
  }

  /** -sum over k = 0..max(totalCount) of P(k) log P(k) (k > totalCount contributes 0). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const top = maxCount(this.totalCount);
      const ks = tf.reshape(tf.range(0, top + 1, 1, 'float32'), [
        top + 1,
        ...this.batchShape.map(() => 1),
      ]);
      const inside = untaped(() => tf.lessEqual(ks, this.totalCount));
      const logp = binomialLogPmf(this.totalCount, this.logits(), tf.minimum(ks, this.totalCount));
      const terms = tf.where(inside, tf.mul(tf.exp(logp), logp), tf.zerosLike(logp));
      return tf.neg(tf.sum(terms, 0));
    });
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => tf.mul(this.totalCount, this.probs()));
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.probs();
      return tf.mul(tf.mul(this.totalCount, p), tf.sub(1, p));
    });
  }

  /** floor((n + 1) p), at most n. A new tensor; the caller owns (disposes) it. */
  override mode(): tf.Tensor {
    return tf.tidy(() =>
      tf.minimum(tf.floor(tf.mul(tf.add(this.totalCount, 1), this.probs())), this.totalCount),
    );
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Binomial {
    return new Binomial({
      totalCount: map.param(this.totalCount),
      ...sameForm(this.isLogits, map.param(this.param)),
      validateArgs: this.validateArgs,
    });
  }
}

/**
 * KL(Bin(n, p) || Bin(m, q)): n (p (l_p - l_q) + log(1 - p) - log(1 - q)) where n = m,
 * +Infinity where n > m (p reaches counts q cannot). Where n < m torch raises; here the exact
 * finite sum over k = 0..n is returned.
 */
export function klBinomialBinomial(p: Binomial, q: Binomial): tf.Tensor {
  const pn = p.totalCount;
  const qn = q.totalCount;
  const pp = p.probs();
  const pl = p.logits();
  const ql = q.logits();
  // log(1 - p) = -softplus(l) in logits form.
  const perTrial = tf.add(tf.mul(pp, tf.sub(pl, ql)), tf.sub(softplus(ql), softplus(pl)));
  const sameCount = tf.mul(pn, perTrial);
  const shape = sameCount.shape;
  const larger = untaped(() => tf.broadcastTo(tf.greater(pn, qn), shape));
  const closed = tf.where(larger, tf.fill(shape, Number.POSITIVE_INFINITY), sameCount);
  const smaller = untaped(() => tf.broadcastTo(tf.less(pn, qn), shape));
  if (!tf.any(smaller).dataSync()[0]) return closed;
  const top = maxCount(pn);
  const ks = tf.reshape(tf.range(0, top + 1, 1, 'float32'), [top + 1, ...shape.map(() => 1)]);
  const inside = untaped(() => tf.lessEqual(ks, pn));
  const kSafe = tf.minimum(ks, pn);
  const logP = binomialLogPmf(pn, pl, kSafe);
  const logQ = binomialLogPmf(qn, ql, kSafe);
  const terms = tf.where(inside, tf.mul(tf.exp(logP), tf.sub(logP, logQ)), tf.zerosLike(logP));
  return tf.where(smaller, tf.sum(terms, 0), closed);
}

registerKL(Binomial, Binomial, klBinomialBinomial);
// Poisson mass reaches every count; a Binomial stops at totalCount (torch: +Infinity).
registerKL(Poisson, Binomial, infiniteKl);
