import * as tf from '@tensorflow/tfjs-core';
import { Categorical, klCategoricalForm } from './categorical.js';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, oneHot, unnormalizedSimplex } from './internal/constraints.js';
import { untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import {
  type ParsedProbs,
  type ProbsOrLogits,
  parseProbsOrLogits,
  sameForm,
} from './internal/probs-or-logits.js';
import { registerKL } from './kl-registry.js';

/**
 * Options of {@link OneHotCategorical}: exactly one of `probs` and `logits`, `[...batch, K]`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { OneHotCategorical, type OneHotCategoricalOptions } from '@vae/distributions';
 *
 * const options: OneHotCategoricalOptions = { logits: [[0, 1, 2]] };
 * console.log(new OneHotCategorical(options).eventShape); // -> [ 3 ]
 * ```
 */
export type OneHotCategoricalOptions = DistributionOptions & ProbsOrLogits;

/**
 * The categorical distribution over one-hot vectors of length K: event shape `[K]`, batch shape
 * the parameter's leading axes. `sample` returns float32 one-hot vectors
 * `[...sampleShape, ...batch, K]`; `mean` is `probs`. No `rsample` (use
 * `RelaxedOneHotCategorical`). `categorical` is the equivalent index distribution.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { OneHotCategorical } from '@vae/distributions';
 *
 * const c = new OneHotCategorical({ probs: [0.2, 0.3, 0.5] }); // eventShape [3]
 * const v = c.sample([4], 2); // [4, 3] one-hot rows
 * const logp = c.logProb(v); // [4]
 * tf.sum(v, -1).print(); // -> [1, 1, 1, 1]
 * console.log(logp.shape); // -> [ 4 ]
 * ```
 */
export class OneHotCategorical extends Distribution {
  /** The same distribution over indices (shares the parameter). */
  readonly categorical: Categorical;
  /** The parameter as given (probs or logits), for batch operations. */
  protected readonly parsed: ParsedProbs;
  /** The name in messages; a subclass overrides it (a literal survives minification). */
  protected static readonly familyName: string = 'OneHotCategorical';

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `probs` or `logits`, exactly one (see {@link OneHotCategoricalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: OneHotCategoricalOptions) {
    const scope = new ParamScope((new.target as typeof OneHotCategorical).familyName, options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: unnormalizedSimplex,
      eventRank: 1,
    });
    const { param } = parsed;
    super({ batchShape: param.shape.slice(0, -1), eventShape: param.shape.slice(-1) }, scope);
    this.parsed = parsed;
    this.categorical = new Categorical(
      parsed.isLogits
        ? { logits: param, validateArgs: false }
        : { probs: param, validateArgs: false },
    );
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
    return oneHot;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const indices = this.categorical.sample(sampleShape, seed);
    return tf.cast(tf.oneHot(indices, this.categorical.numCategories), 'float32');
  }

  /** log P(value) `[...sample, ...batch]` for one-hot `value` `[...sample, ...batch, K]`. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const picked = untaped(() => tf.notEqual(x, 0));
      const terms = tf.where(picked, tf.mul(x, this.logits()), tf.zeros(picked.shape));
      return tf.sum(terms, -1);
    });
  }

  override entropy(): tf.Tensor {
    return this.categorical.entropy();
  }

  override mean(): tf.Tensor {
    return this.categorical.probs();
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.categorical.probs();
      return tf.mul(p, tf.sub(1, p));
    });
  }

  /**
   * One-hot vector of the most probable category `[...batch, K]`. A new tensor; the caller owns
   * (disposes) it.
   */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const index = tf.cast(this.categorical.mode(), 'int32');
      return tf.cast(tf.oneHot(index, this.categorical.numCategories), 'float32');
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): OneHotCategorical {
    const param = map.param(this.parsed.param, 1);
    return new OneHotCategorical({
      ...sameForm(this.parsed.isLogits, param),
      validateArgs: this.validateArgs,
    });
  }
}

/** Same discrete KL as between the index distributions. */
function klOneHotCategorical(p: OneHotCategorical, q: OneHotCategorical): tf.Tensor {
  return klCategoricalForm(p.categorical, q.categorical);
}

registerKL(OneHotCategorical, OneHotCategorical, klOneHotCategorical);
