import * as tf from '@tensorflow/tfjs-core';
import { simplex } from './dirichlet.js';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, positive, unnormalizedSimplex } from './internal/constraints.js';
import { openUniform } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { type ProbsOrLogits, parseProbsOrLogits, sameForm } from './internal/probs-or-logits.js';
import { broadcastShapes, formatShape } from './internal/shapes.js';
import { lgamma } from './internal/special.js';

/** Options of {@link RelaxedOneHotCategorical}. */
export type RelaxedOneHotCategoricalOptions = DistributionOptions &
  ProbsOrLogits & {
    /**
     * Relaxation temperature, positive, a number or a tensor broadcasting against `[...batch]`:
     * small values give nearly one-hot samples.
     */
    temperature: ParamLike;
  };

const TINY = 1.1754943508222875e-38;

/**
 * The relaxed one-hot categorical (Gumbel-softmax, Jang et al. 2017; Concrete, Maddison et al.
 * 2017) on the simplex: x = softmax((logits + G) / temperature) with G_k standard Gumbel noise.
 * Reparameterized (`rsample`); as temperature -> 0 samples approach one-hot draws of
 * Categorical(probs). `logProb` is the Concrete density
 * (K - 1)! tau^(K - 1) prod_k (p_k x_k^(-tau - 1)) / (sum_k p_k x_k^(-tau))^K.
 * Batch shape `[...batch]` (with `temperature` broadcast in), event shape `[K]`.
 *
 * Parameters are borrowed: do not dispose them while the distribution is in use.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { RelaxedOneHotCategorical } from '@vae/distributions';
 *
 * const logits = tf.zeros([4, 5]); // [batch, K]
 * const q = new RelaxedOneHotCategorical({ temperature: 0.5, logits });
 * const y = q.rsample([], 1); // [batch, K], rows on the simplex, gradients flow to logits
 * const logq = q.logProb(y); // [batch]
 * tf.sum(y, -1).print(); // -> [1, 1, 1, 1]
 * console.log(logq.shape); // -> [ 4 ]
 * q.dispose();
 * ```
 */
export class RelaxedOneHotCategorical extends Distribution {
  /** The relaxation temperature, positive (lower is closer to one-hot draws). */
  readonly temperature: tf.Tensor;
  /** K, the number of categories (the event shape is `[K]`). */
  readonly numCategories: number;
  private readonly param: tf.Tensor;
  private readonly isLogits: boolean;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `temperature`, `probs` or `logits`, exactly one (see {@link RelaxedOneHotCategoricalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: RelaxedOneHotCategoricalOptions) {
    const scope = new ParamScope('RelaxedOneHotCategorical', options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: unnormalizedSimplex,
      eventRank: 1,
    });
    const temperature = scope.param('temperature', options.temperature, positive);
    const k = parsed.param.shape[parsed.param.rank - 1]!;
    const batchShape =
      broadcastShapes([parsed.param.shape.slice(0, -1), temperature.shape]) ??
      scope.fail(
        `RelaxedOneHotCategorical: \`temperature\` of shape ${formatShape(temperature.shape)} does not broadcast against the batch shape ${formatShape(parsed.param.shape.slice(0, -1))}`,
      );
    super({ batchShape, eventShape: [k] }, scope);
    this.numCategories = k;
    this.isLogits = parsed.isLogits;
    this.param = scope.own(tf.broadcastTo(parsed.param, [...batchShape, k]));
    this.temperature = temperature;
  }

  /** Normalized probabilities `[...batch, K]`: a new tensor; the caller owns (disposes) it. */
  probs(): tf.Tensor {
    return tf.tidy(() =>
      this.isLogits ? tf.softmax(this.param) : tf.div(this.param, tf.sum(this.param, -1, true)),
    );
  }

  /** Normalized log-probabilities `[...batch, K]`: a new tensor; the caller owns (disposes) it. */
  logits(): tf.Tensor {
    return tf.tidy(() => {
      const logits = this.isLogits ? this.param : tf.log(tf.maximum(this.param, TINY));
      return tf.sub(logits, tf.logSumExp(logits, -1, true));
    });
  }

  get support(): Constraint {
    return simplex;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** temperature as `[...batch, 1]`, to broadcast against `[..., K]`. */
  private temperatureColumn(): tf.Tensor {
    return tf.expandDims(this.temperature, -1);
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = openUniform(this.extendedShape(sampleShape), seed);
    const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
    const scores = tf.div(tf.add(this.logits(), gumbel), this.temperatureColumn());
    return tf.softmax(scores);
  }

  /**
   * The Concrete density at x on the simplex: with y = log x,
   * log p = lgamma(K) + (K - 1) log tau + sum_k (s_k - logsumexp(s)) - sum_k y_k,
   * s = logits - tau y (torch's ExpRelaxedCategorical plus the exp transform).
   */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const k = this.numCategories;
      const logX = tf.log(tf.maximum(this.checkedValue(value), TINY));
      const scores = tf.sub(this.logits(), tf.mul(logX, this.temperatureColumn()));
      const normalized = tf.sum(tf.sub(scores, tf.logSumExp(scores, -1, true)), -1);
      const logScale = tf.add(tf.mul(tf.log(this.temperature), k - 1), lgamma(tf.scalar(k)));
      return tf.sub(tf.add(normalized, logScale), tf.sum(logX, -1));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): RelaxedOneHotCategorical {
    return new RelaxedOneHotCategorical({
      temperature: map.param(this.temperature, 0, { broadcasts: true }),
      ...sameForm(this.isLogits, map.param(this.param, 1)),
      validateArgs: this.validateArgs,
    });
  }
}
