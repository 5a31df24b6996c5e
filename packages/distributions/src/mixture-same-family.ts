import * as tf from '@tensorflow/tfjs-core';
import { checkSeed, VaeError } from '@vae/divergence';
import { Categorical } from './categorical.js';
import { type BatchMapper, Distribution } from './distribution.js';
import { Independent } from './independent.js';
import type { Constraint } from './internal/constraints.js';
import {
  hasCdf,
  reparameterizeMixtureSample,
  type UnivariateParts,
} from './internal/mixture-reparameterize.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { formatShape, shapesEqual } from './internal/shapes.js';
import { subSeed } from './internal/special-random.js';
import { isRecordingGradients } from './internal/tfjs-internals.js';

/** Options of {@link MixtureSameFamily}. */
export interface MixtureSameFamilyOptions extends DistributionOptions {
  /** Mixture weights over K components: a `Categorical` with batch shape `[...batch]`. */
  mixture: Categorical;
  /** The K components as one distribution with batch shape `[...batch, K]` and any event shape. */
  components: Distribution;
  /** Draws of the Monte Carlo `entropy()` (default {@link MixtureSameFamily.ENTROPY_SAMPLES}). */
  entropySampleCount?: number;
  /** Seed of the Monte Carlo `entropy()` draws (default 0): the estimate is repeatable. */
  entropySeed?: number;
}

/**
 * Per-call settings of {@link MixtureSameFamily.entropy}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Categorical, type MixtureEntropyOptions, MixtureSameFamily, Normal } from '@vae/distributions';
 *
 * const options: MixtureEntropyOptions = { sampleCount: 10000, seed: 1 };
 * const mixture = new MixtureSameFamily({
 *   mixture: new Categorical({ probs: [0.5, 0.5] }),
 *   components: new Normal({ loc: [-5, 5], scale: [1, 1] }),
 * });
 * // An estimate of about 2.112 = 1.4189 + log 2 (far-apart modes):
 * mixture.entropy(options).print(); // -> 2.1039
 * ```
 */
export interface MixtureEntropyOptions {
  /** Number of draws (default: the constructor's `entropySampleCount`). */
  sampleCount?: number;
  /** Seed of the draws (default: the constructor's `entropySeed`). */
  seed?: number;
}

function checkSampleCount(where: string, count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `${where}: \`sampleCount\` must be a positive integer, got ${String(count)}`,
    );
  }
}

/**
 * A finite mixture p(x) = sum_k w_k p_k(x) whose K components share one family, batched like
 * torch's `MixtureSameFamily`: the last batch axis of `components` indexes the components.
 * Batch shape `[...batch]`, event shape that of the components. `logProb` is a logsumexp over
 * components; `sample` draws a component index then a component sample; `mean` and `variance`
 * come from the law of total variance; `cdf` (univariate components with a `cdf`) is
 * sum_k w_k F_k(x). KL has no closed form (use `klMonteCarlo` from `@vae/divergence`).
 *
 * `entropy()` is a **Monte Carlo estimate**, -mean log p(x_i) over `entropySampleCount` draws
 * (default 1024) seeded with `entropySeed` (default 0): repeatable for a given seed, with a
 * standard error of about std(log p(x)) / sqrt(count); `entropy({ sampleCount, seed })`
 * overrides both per call.
 *
 * `rsample` exists when the components are univariate with a `cdf` (Normal, Laplace, Gumbel,
 * ...) or an `Independent` of such (a diagonal mixture): implicit reparameterization through
 * the distributional transform, as TFP's `MixtureSameFamily(reparameterize=True)`. The draw is
 * the one `sample` gives; under a gradient tape its gradient to the component parameters and
 * the mixture logits is dx/dphi = -(dT/dx)^-1 dT/dphi, T(x) the vector of conditional CDFs.
 *
 * `mixture` and `components` are borrowed: `dispose()` does not dispose them.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Categorical, MixtureSameFamily, Normal } from '@vae/distributions';
 *
 * // A 1-D prior with two modes at -2 and 2:
 * const prior = new MixtureSameFamily({
 *   mixture: new Categorical({ probs: [0.5, 0.5] }),
 *   components: new Normal({ loc: [-2, 2], scale: [0.5, 0.5] }),
 * });
 * const z = prior.sample([100], 1); // [100]
 * const logp = prior.logProb(z); // [100]
 * const entropy = prior.entropy({ sampleCount: 4096, seed: 3 }); // [] (Monte Carlo)
 * const reparameterized = prior.rsample([100], 1); // [100], differentiable in loc and scale
 * console.log(z.shape, logp.shape, reparameterized.shape); // -> [ 100 ] [ 100 ] [ 100 ]
 * console.log(entropy.shape); // -> []
 * ```
 */
export class MixtureSameFamily extends Distribution {
  /** Default number of draws of the Monte Carlo `entropy()`. */
  static readonly ENTROPY_SAMPLES = 1024;
  /** The mixture weights: a `Categorical` with batch shape `[...batch]` over K components. */
  readonly mixture: Categorical;
  /** The K components as one distribution with batch shape `[...batch, K]`. */
  readonly components: Distribution;
  /** Draws of the Monte Carlo `entropy()`. */
  readonly entropySampleCount: number;
  /** Seed of the Monte Carlo `entropy()`. */
  readonly entropySeed: number;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `mixture`, `components`, `entropySampleCount`, `entropySeed` (see {@link MixtureSameFamilyOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
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
    const entropySampleCount = options.entropySampleCount ?? MixtureSameFamily.ENTROPY_SAMPLES;
    const entropySeed = options.entropySeed ?? 0;
    checkSampleCount('MixtureSameFamily', entropySampleCount);
    checkSeed('MixtureSameFamily: `entropySeed`', entropySeed);
    super({ batchShape, eventShape: components.eventShape }, scope);
    this.mixture = mixture;
    this.components = components;
    this.entropySampleCount = entropySampleCount;
    this.entropySeed = entropySeed;
  }

  /** True for univariate components with a `cdf`, or an `Independent` of them. */
  override get hasRsample(): boolean {
    return this.univariateComponents() !== undefined;
  }

  /** The univariate family under the components, when implicit reparameterization applies. */
  private univariateComponents(): Distribution | undefined {
    const c = this.components;
    if (c.eventShape.length === 0) return hasCdf(c) ? c : undefined;
    if (c instanceof Independent && c.base.eventShape.length === 0 && hasCdf(c.base)) {
      return c.base;
    }
    return undefined;
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
    const x = tf.sum(tf.mul(all, mask), this.componentAxis(all.rank));
    const univariate = this.univariateComponents();
    if (univariate === undefined || !isRecordingGradients()) return x;
    const parts: UnivariateParts = {
      univariate,
      mixtureLogits: this.mixture.logits(),
      eventShape: this.eventShape,
    };
    return reparameterizeMixtureSample(x, parts);
  }

  /** log sum_k w_k p_k(x) for x `[...sample, ...batch, ...event]` -> `[...sample, ...batch]`. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const padded = tf.expandDims(x, x.rank - this.eventShape.length);
      const perComponent = this.components.logProb(padded); // [...sample, ...batch, K]
      return tf.logSumExp(tf.add(perComponent, this.mixture.logits()), -1);
    });
  }

  /** sum_k w_k mean_k, `[...batch, ...event]`. A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return tf.tidy(() => {
      const means = this.components.mean();
      const w = this.weightsLike(this.mixture.probs());
      return tf.sum(tf.mul(w, means), this.componentAxis(means.rank));
    });
  }

  /**
   * Law of total variance: sum_k w_k var_k + sum_k w_k (mean_k - mean)^2, `[...batch, ...event]`. A
   * new tensor; the caller owns (disposes) it.
   */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const means = this.components.mean();
      const axis = this.componentAxis(means.rank);
      const w = this.weightsLike(this.mixture.probs());
      const mean = tf.sum(tf.mul(w, means), axis, true);
      const within = tf.sum(tf.mul(w, this.components.variance()), axis);
      const between = tf.sum(tf.mul(w, tf.square(tf.sub(means, mean))), axis);
      return tf.add(within, between);
    });
  }

  /**
   * P(X <= x) = sum_k w_k F_k(x) `[...sample, ...batch]` for univariate components with a `cdf`
   * (as torch); `UNSUPPORTED` otherwise.
   */
  override cdf(value: ParamLike): tf.Tensor {
    if (this.eventShape.length !== 0 || !hasCdf(this.components)) return this.unsupported('cdf');
    return tf.tidy(() => {
      const x = this.checkedValue(value, 'cdf');
      const perComponent = this.components.cdf(tf.expandDims(x, -1)); // [...sample, ...batch, K]
      return tf.sum(tf.mul(perComponent, this.mixture.probs()), -1);
    });
  }

  /**
   * Monte Carlo entropy `[...batch]`: -mean over draws of log p(x), with `sampleCount` draws
   * (default `entropySampleCount`, 1024 unless set) seeded with `seed` (default `entropySeed`,
   * 0): the same seed gives the same estimate; the standard error is about
   * std(log p(x)) / sqrt(sampleCount). The mixture entropy has no closed form.
   */
  override entropy(options: MixtureEntropyOptions = {}): tf.Tensor {
    const count = options.sampleCount ?? this.entropySampleCount;
    const seed = options.seed ?? this.entropySeed;
    checkSampleCount('MixtureSameFamily.entropy', count);
    checkSeed('MixtureSameFamily.entropy', seed);
    return tf.tidy(() => tf.neg(tf.mean(this.logProb(this.sample([count], seed)), 0)));
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): MixtureSameFamily {
    return new MixtureSameFamily({
      mixture: map.child(this.mixture),
      components: map.child(this.components, 1),
      entropySampleCount: this.entropySampleCount,
      entropySeed: this.entropySeed,
      validateArgs: this.validateArgs,
    });
  }
}
