import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { Categorical } from './categorical.js';
import { Distribution } from './distribution.js';
import type { Constraint } from './internal/constraints.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { formatShape, shapesEqual } from './internal/shapes.js';
import { subSeed } from './internal/special-random.js';

/** Options of {@link MixtureSameFamily}. */
export interface MixtureSameFamilyOptions extends DistributionOptions {
  /** Mixture weights over K components: a `Categorical` with batch shape `[...batch]`. */
  mixture: Categorical;
  /** The K components as one distribution with batch shape `[...batch, K]` and any event shape. */
  components: Distribution;
}

/**
 * A finite mixture p(x) = sum_k w_k p_k(x) whose K components share one family, batched like
 * torch's `MixtureSameFamily`: the last batch axis of `components` indexes the components.
 * Batch shape `[...batch]`, event shape that of the components. `logProb` is a logsumexp over
 * components; `sample` draws a component index then a component sample (no `rsample`); `mean` and
 * `variance` come from the law of total variance. Entropy and KL have no closed form (use
 * `klMonteCarlo` from `@vae/divergence`).
 *
 * `mixture` and `components` are borrowed: `dispose()` does not dispose them.
 *
 * @example
 * ```ts
 * // A 1-D prior with two modes at -2 and 2:
 * const prior = new MixtureSameFamily({
 *   mixture: new Categorical({ probs: [0.5, 0.5] }),
 *   components: new Normal({ loc: [-2, 2], scale: [0.5, 0.5] }),
 * });
 * const z = prior.sample([100], 1); // [100]
 * const logp = prior.logProb(z); // [100]
 * ```
 */
export class MixtureSameFamily extends Distribution {
  readonly mixture: Categorical;
  readonly components: Distribution;

  constructor(options: MixtureSameFamilyOptions) {
    const scope = new ParamScope('MixtureSameFamily', options);
    const { mixture, components } = options;
    if (!(mixture instanceof Categorical)) {
      throw new VaeError('INVALID_ARGUMENT', 'MixtureSameFamily: `mixture` must be a Categorical');
    }
    if (!(components instanceof Distribution) || components.batchShape.length < 1) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        'MixtureSameFamily: `components` must be a Distribution with at least one batch axis (the components)',
      );
    }
    const k = components.batchShape[components.batchShape.length - 1]!;
    const batchShape = components.batchShape.slice(0, -1);
    if (k !== mixture.numCategories || !shapesEqual(mixture.batchShape, batchShape)) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `MixtureSameFamily: \`mixture\` (batch ${formatShape(mixture.batchShape)}, ${mixture.numCategories} categories) does not match \`components\` (batch ${formatShape(components.batchShape)}: [...batch, K])`,
      );
    }
    super({ batchShape, eventShape: components.eventShape }, scope);
    this.mixture = mixture;
    this.components = components;
  }

  get support(): Constraint {
    return this.components.support;
  }

  /** Mixture weights as `[...batch, K, 1, ..., 1]` (one 1 per event axis). */
  private weightsLike(weights: tf.Tensor): tf.Tensor {
    let w = weights;
    for (let i = 0; i < this.eventShape.length; i++) w = tf.expandDims(w, -1);
    return w;
  }

  /** The component axis of `[..., K, ...event]`. */
  private componentAxis(rank: number): number {
    return rank - this.eventShape.length - 1;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const all = this.components.sample(sampleShape, subSeed(seed, 40)); // [...s, ...batch, K, ...event]
    const index = this.mixture.sample([...sampleShape], subSeed(seed, 41)); // [...s, ...mixtureBatch]
    const oneHot = tf.cast(
      tf.oneHot(tf.cast(index, 'int32'), this.mixture.numCategories),
      'float32',
    );
    const mask = this.weightsLike(oneHot);
    return tf.sum(tf.mul(all, mask), this.componentAxis(all.rank));
  }

  /** log sum_k w_k p_k(x) for x `[...sample, ...batch, ...event]` -> `[...sample, ...batch]`. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const padded = tf.expandDims(x, x.rank - this.eventShape.length);
      const perComponent = this.components.logProb(padded); // [...sample, ...batch, K]
      return tf.logSumExp(tf.add(perComponent, this.mixture.logits), -1);
    });
  }

  /** sum_k w_k mean_k, `[...batch, ...event]`. */
  override get mean(): tf.Tensor {
    return tf.tidy(() => {
      const means = this.components.mean;
      const w = this.weightsLike(this.mixture.probs);
      return tf.sum(tf.mul(w, means), this.componentAxis(means.rank));
    });
  }

  /** Law of total variance: sum_k w_k var_k + sum_k w_k (mean_k - mean)^2, `[...batch, ...event]`. */
  override get variance(): tf.Tensor {
    return tf.tidy(() => {
      const means = this.components.mean;
      const axis = this.componentAxis(means.rank);
      const w = this.weightsLike(this.mixture.probs);
      const mean = tf.sum(tf.mul(w, means), axis, true);
      const within = tf.sum(tf.mul(w, this.components.variance), axis);
      const between = tf.sum(tf.mul(w, tf.square(tf.sub(means, mean))), axis);
      return tf.add(within, between);
    });
  }
}
