import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, integerBelow, unnormalizedSimplex } from './internal/constraints.js';
import { untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { type ProbsOrLogits, parseProbsOrLogits, sameForm } from './internal/probs-or-logits.js';
import { registerKL } from './kl-registry.js';

/**
 * Options of {@link Categorical}: exactly one of `probs` `[...batch, K]` (non-negative,
 * normalized along the last axis) and `logits` `[...batch, K]` (unnormalized log-probabilities).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Categorical, type CategoricalOptions } from '@vae/distributions';
 *
 * const options: CategoricalOptions = { probs: [[1, 1, 2]] };
 * // Normalized:
 * new Categorical(options).probs().print(); // -> [[0.25, 0.25, 0.5]]
 * ```
 */
export type CategoricalOptions = DistributionOptions & ProbsOrLogits;

const MIN_LOG = -3.4028234663852886e38;

/**
 * The categorical distribution over the indices {0, ..., K - 1}, batched over all axes of the
 * parameter but the last (event shape `[]`). `sample` returns int32 indices
 * `[...sampleShape, ...batch]`; `logProb` takes indices (int32 or float32). No `rsample`
 * (use `RelaxedOneHotCategorical`).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Categorical } from '@vae/distributions';
 *
 * const c = new Categorical({ logits: [[0, 1, 2], [2, 0, 0]] }); // batchShape [2], K = 3
 * const k = c.sample([5], 1); // int32 [5, 2]
 * const logp = c.logProb(k); // [5, 2]
 * console.log(k.dtype, k.shape, logp.shape); // -> int32 [ 5, 2 ] [ 5, 2 ]
 * ```
 */
export class Categorical extends Distribution {
  /** Number of categories K. */
  readonly numCategories: number;
  private readonly param: tf.Tensor;
  private readonly isLogits: boolean;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `probs` or `logits`, exactly one (see {@link CategoricalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: CategoricalOptions) {
    const scope = new ParamScope('Categorical', options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: unnormalizedSimplex,
      eventRank: 1,
    });
    super({ batchShape: parsed.param.shape.slice(0, -1) }, scope);
    this.param = parsed.param;
    this.isLogits = parsed.isLogits;
    this.numCategories = parsed.param.shape[parsed.param.rank - 1]!;
  }

  /** Normalized probabilities `[...batch, K]`: a new tensor; the caller owns (disposes) it. */
  probs(): tf.Tensor {
    return tf.tidy(() =>
      this.isLogits ? tf.softmax(this.param) : tf.div(this.param, tf.sum(this.param, -1, true)),
    );
  }

  /**
   * Normalized log-probabilities `[...batch, K]` (finite: log 0 is clamped): a new tensor; the
   * caller owns (disposes) it.
   */
  logits(): tf.Tensor {
    return tf.tidy(() => {
      const logits = this.isLogits ? this.param : tf.log(this.param);
      const normalized = tf.sub(logits, tf.logSumExp(logits, -1, true));
      return tf.maximum(normalized, MIN_LOG);
    });
  }

  get support(): Constraint {
    return integerBelow(this.numCategories);
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const n = sampleShape.reduce((a, b) => a * b, 1);
    const flat = tf.reshape(this.logits(), [-1, this.numCategories]);
    // Off the tape: Multinomial has no gradient, and tf.grad fails on any op between the
    // logits and a loss (a score-function estimator samples, then differentiates logProb).
    const draws = untaped(() => tf.multinomial(flat as tf.Tensor2D, Math.max(n, 1), seed));
    const ordered = tf.transpose(tf.slice(draws, [0, 0], [-1, n]));
    return tf.reshape(ordered, [...sampleShape, ...this.batchShape]);
  }

  /** log P(value) `[...sample, ...batch]` for indices `value` `[...sample, ...batch]`. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const index = tf.cast(this.checkedValue(value), 'int32');
      const picked = untaped(() => tf.cast(tf.oneHot(index, this.numCategories), 'bool'));
      const logits = this.logits();
      return tf.sum(tf.where(picked, logits, tf.zeros(picked.shape)), -1);
    });
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.neg(tf.sum(tf.mul(this.probs(), this.logits()), -1)));
  }

  /**
   * The most probable index `[...batch]` (float32). A new tensor; the caller owns (disposes) it.
   */
  override mode(): tf.Tensor {
    return tf.tidy(() => tf.cast(tf.argMax(this.param, -1), 'float32'));
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Categorical {
    return new Categorical({
      ...sameForm(this.isLogits, map.param(this.param, 1)),
      validateArgs: this.validateArgs,
    });
  }
}

/**
 * Discrete KL sum_k p_k (log p_k - log q_k) over the last axis, with 0 log 0 = 0 and +Infinity
 * where q_k = 0 < p_k. Shared with OneHotCategorical.
 */
export function klCategoricalForm(p: Categorical, q: Categorical): tf.Tensor {
  const pProbs = p.probs();
  const qProbs = q.probs();
  const terms = tf.mul(pProbs, tf.sub(p.logits(), q.logits()));
  const shape = tf.broadcast_util.assertAndGetBroadcastShape(pProbs.shape, qProbs.shape);
  const infinite = untaped(() => tf.logicalAnd(tf.equal(qProbs, 0), tf.greater(pProbs, 0)));
  const zero = untaped(() => tf.equal(pProbs, 0));
  const safe = tf.where(zero, tf.zeros(shape), terms);
  return tf.sum(tf.where(infinite, tf.fill(shape, Number.POSITIVE_INFINITY), safe), -1);
}

registerKL(Categorical, Categorical, klCategoricalForm);
