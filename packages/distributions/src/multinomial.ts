import * as tf from '@tensorflow/tfjs-core';
import { binomialLogPmf } from './binomial.js';
import { Categorical } from './categorical.js';
import { type BatchMapper, Distribution } from './distribution.js';
import {
  type Constraint,
  nonNegativeInteger,
  unnormalizedSimplex,
} from './internal/constraints.js';
import { multinomialVariates } from './internal/discrete-random.js';
import { probsToLogits } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import {
  type ParsedProbs,
  type ProbsOrLogits,
  parseProbsOrLogits,
  sameForm,
} from './internal/probs-or-logits.js';
import { lgamma } from './internal/special.js';
import { ensure } from './internal/validate.js';

/**
 * Options of {@link Multinomial}: `totalCount` (one integer, as torch) and exactly one of
 * `probs` `[...batch, K]` (non-negative, normalized for you) and `logits` `[...batch, K]`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Multinomial, type MultinomialOptions } from '@vae/distributions';
 *
 * const options: MultinomialOptions = { totalCount: 10, probs: [0.2, 0.3, 0.5] };
 * new Multinomial(options).mean().print(); // -> [2, 3, 5]
 * ```
 */
export type MultinomialOptions = DistributionOptions &
  ProbsOrLogits & {
    /** Number of trials shared by the whole batch: a non-negative integer, default 1. */
    totalCount?: number;
  };

/** Count vectors of non-negative integers summing to `n` along the last axis. */
function countVectors(n: number): Constraint {
  return {
    description: `non-negative integers summing to totalCount = ${n} along the last axis`,
    eventRank: 1,
    check: (x) =>
      tf.logicalAnd(tf.all(nonNegativeInteger.check(x), -1), tf.equal(tf.sum(x, -1), n)),
  };
}

/**
 * The multinomial distribution of the category counts of `totalCount` independent draws from
 * `probs` (or softmax(`logits`)): event shape `[K]`, batch shape the parameter's leading axes.
 * `sample` returns float32 count vectors `[...sampleShape, ...batch, K]` drawn on the host as a
 * chain of conditional binomials. `entropy` is exact (torch's sum over binomial marginals).
 * Mean n p, variance n p (1 - p). No `rsample`. `categorical` is the distribution of one draw.
 *
 * `probs`/`logits` is borrowed: do not dispose it while the distribution is in use.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Multinomial } from '@vae/distributions';
 *
 * const m = new Multinomial({ totalCount: 10, logits: [[0, 1, 2]] }); // batch [1], event [3]
 * const counts = m.sample([4], 2); // [4, 1, 3], rows sum to 10
 * const logp = m.logProb(counts); // [4, 1]
 * tf.sum(counts, -1).print(); // -> [[10], [10], [10], [10]]
 * console.log(logp.shape); // -> [ 4, 1 ]
 * m.dispose();
 * ```
 */
export class Multinomial extends Distribution {
  /** Number of trials. */
  readonly totalCount: number;
  /** The distribution of one trial (shares the parameter). */
  readonly categorical: Categorical;
  private readonly parsed: ParsedProbs;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `totalCount`, `probs` or `logits`, exactly one (see {@link MultinomialOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: MultinomialOptions) {
    const totalCount = options.totalCount ?? 1;
    ensure(
      Number.isInteger(totalCount) && totalCount >= 0,
      () => `Multinomial: \`totalCount\` must be a non-negative integer, got ${String(totalCount)}`,
    );
    const scope = new ParamScope('Multinomial', options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: unnormalizedSimplex,
      eventRank: 1,
    });
    const { param } = parsed;
    super({ batchShape: param.shape.slice(0, -1), eventShape: param.shape.slice(-1) }, scope);
    this.totalCount = totalCount;
    this.parsed = parsed;
    this.categorical = new Categorical({
      ...sameForm(parsed.isLogits, param),
      validateArgs: false,
    });
  }

  /** Normalized probabilities `[...batch, K]`: a new tensor; the caller owns (disposes) it. */
  probs(): tf.Tensor {
    return this.categorical.probs();
  }

  /** Normalized log-probabilities `[...batch, K]`: a new tensor; the caller owns (disposes) it. */
  logits(): tf.Tensor {
    return this.categorical.logits();
  }

  get support(): Constraint {
    return countVectors(this.totalCount);
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return multinomialVariates(this.totalCount, this.probs(), { sampleShape, seed });
  }

  /** lgamma(n + 1) - sum lgamma(x_k + 1) + sum x_k log p_k, `[...sample, ...batch]`. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const logFactorials = tf.sub(
        lgamma(tf.add(tf.sum(x, -1), 1)),
        tf.sum(lgamma(tf.add(x, 1)), -1),
      );
      return tf.add(logFactorials, tf.sum(tf.mul(x, this.logits()), -1));
    });
  }

  /**
   * n H(categorical) - lgamma(n + 1) + sum_k sum_{j=1..n} Bin(j; n, p_k) lgamma(j + 1)
   * `[...batch]` (exact; O(n K) per batch member).
   */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const n = this.totalCount;
      const head = tf.sub(tf.mul(this.categorical.entropy(), n), lgamma(tf.scalar(n + 1)));
      if (n === 0) return head;
      const rank = this.batchShape.length + 1;
      const js = tf.reshape(tf.range(1, n + 1, 1, 'float32'), [
        n,
        ...new Array<number>(rank).fill(1),
      ]);
      const logits = probsToLogits(this.probs()); // binary log-odds of each category, as torch
      const marginal = tf.exp(binomialLogPmf(tf.scalar(n), logits, js)); // [n, ...batch, K]
      return tf.add(head, tf.sum(tf.mul(marginal, lgamma(tf.add(js, 1))), [0, rank]));
    });
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => tf.mul(this.probs(), this.totalCount));
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.probs();
      return tf.mul(tf.mul(p, tf.sub(1, p)), this.totalCount);
    });
  }

  override dispose(): void {
    this.categorical.dispose();
    super.dispose();
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Multinomial {
    return new Multinomial({
      totalCount: this.totalCount,
      ...sameForm(this.parsed.isLogits, map.param(this.parsed.param, 1)),
      validateArgs: this.validateArgs,
    });
  }
}
