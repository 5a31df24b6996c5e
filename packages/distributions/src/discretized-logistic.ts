import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, finiteReal, positive } from './internal/constraints.js';
import { openUniform, softplus } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { untracked } from './internal/special.js';
import { ensure } from './internal/validate.js';

/** Options of {@link DiscretizedLogistic}. */
export interface DiscretizedLogisticOptions extends DistributionOptions {
  /** Location of the underlying logistic, any real (on the [0, 1] intensity scale). */
  loc: ParamLike;
  /** Scale of the underlying logistic, positive. */
  scale: ParamLike;
  /** Number of intensity levels (default 256, 8-bit images); values are k / (bins - 1). */
  bins?: number;
}

/** Values on the grid k / (bins - 1), k = 0..bins-1, within float32 rounding. */
function gridConstraint(bins: number): Constraint {
  return {
    description: `an intensity k / ${bins - 1} in [0, 1] (k = 0..${bins - 1})`,
    check: (x) => {
      const scaled = tf.mul(x, bins - 1);
      const onGrid = tf.lessEqual(tf.abs(tf.sub(scaled, tf.round(scaled))), 1e-3);
      return tf.logicalAnd(onGrid, tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 1)));
    },
  };
}

/**
 * The discretized logistic likelihood for quantized intensities (PixelCNN++, Salimans et al.
 * 2017) **on [0, 1]**: the values are x_k = k / (bins - 1) and x_k gets the mass of the logistic
 * (loc, scale) on [x_k - h, x_k + h], h = 1 / (2 (bins - 1)); the lowest level takes the whole
 * left tail and the highest the whole right tail, so the masses sum to 1. Scale pixel bytes with
 * `byte / 255` (not to [-1, 1]). Batch shape: broadcast of `loc` and `scale`; event shape `[]`
 * (wrap in `Independent` for images). `logProb` uses
 * log(sigmoid(a) - sigmoid(b)) = log sigmoid(a) + log sigmoid(-b) + log(1 - e^(b - a)), stable in
 * both tails. `mean` and `variance` sum over all levels (cost O(bins) per element).
 *
 * Parameters are borrowed: do not dispose them while the distribution is in use.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { DiscretizedLogistic, Independent } from '@vae/distributions';
 *
 * const pixels = tf.randomUniform([2, 28, 28, 1], 0, 256, 'int32', 1); // 8-bit images
 * const loc = tf.fill([2, 28, 28, 1], 0.5); // decoder outputs [batch, 28, 28, 1]
 * const scale = tf.fill([2, 28, 28, 1], 0.2);
 * const decoder = new Independent(new DiscretizedLogistic({ loc, scale, validateArgs: false }), 3);
 * const logLikelihood = decoder.logProb(tf.div(pixels, 255)); // [batch]
 * console.log(logLikelihood.shape); // -> [ 2 ]
 * ```
 */
export class DiscretizedLogistic extends Distribution {
  /** The `loc` parameter as a float32 tensor, broadcast with the others to the batch shape (the logistic's location on [0, 1]). */
  readonly loc: tf.Tensor;
  /** The `scale` parameter as a float32 tensor, broadcast with the others to the batch shape (the logistic's scale). */
  readonly scale: tf.Tensor;
  /** The number of intensity levels; values are k / (bins - 1). */
  readonly bins: number;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `scale`, `bins` (see {@link DiscretizedLogisticOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: DiscretizedLogisticOptions) {
    const bins = options.bins ?? 256;
    ensure(
      Number.isInteger(bins) && bins >= 2,
      () => `DiscretizedLogistic: \`bins\` must be an integer >= 2, got ${bins}`,
    );
    const scope = new ParamScope('DiscretizedLogistic', options);
    const params = scope.broadcast({
      loc: scope.param('loc', options.loc, finiteReal),
      scale: scope.param('scale', options.scale, positive),
    });
    super({ batchShape: params.loc.shape }, scope);
    this.loc = params.loc;
    this.scale = params.scale;
    this.bins = bins;
  }

  get support(): Constraint {
    return gridConstraint(this.bins);
  }

  /** Half the distance between two levels. */
  private get halfWidth(): number {
    return 0.5 / (this.bins - 1);
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = openUniform(this.extendedShape(sampleShape), seed);
    const logistic = tf.add(this.loc, tf.mul(this.scale, tf.sub(tf.log(u), log1p(tf.neg(u)))));
    const levels = tf.round(tf.mul(tf.clipByValue(logistic, 0, 1), this.bins - 1));
    return tf.div(levels, this.bins - 1);
  }

  /** log P(x) for levels x `[...sample, ...batch]`, with the tail masses at 0 and 1. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => this.logMass(this.checkedValue(value)));
  }

  private logMass(x: tf.Tensor): tf.Tensor {
    const h = this.halfWidth;
    const inverseScale = tf.reciprocal(this.scale);
    const centered = tf.sub(x, this.loc);
    const upper = tf.mul(tf.add(centered, h), inverseScale); // a
    const lower = tf.mul(tf.sub(centered, h), inverseScale); // b
    const logCdfUpper = tf.neg(softplus(tf.neg(upper))); // log sigmoid(a)
    const logSurvivalLower = tf.neg(softplus(lower)); // log (1 - sigmoid(b))
    // log(1 - e^-(a - b)) with a - b = 2h / scale > 0.
    const logGap = tf.log(tf.neg(expm1(tf.mul(inverseScale, -2 * h))));
    const middle = tf.add(tf.add(logCdfUpper, logSurvivalLower), logGap);
    const [atBottom, atTop] = [
      untracked(x, (v) => tf.lessEqual(v, h)),
      untracked(x, (v) => tf.greaterEqual(v, 1 - h)),
    ];
    const shape = middle.shape;
    return tf.where(
      tf.broadcastTo(atBottom, shape),
      tf.broadcastTo(logCdfUpper, shape),
      tf.where(tf.broadcastTo(atTop, shape), tf.broadcastTo(logSurvivalLower, shape), middle),
    );
  }

  /** Probabilities of every level, `[bins, ...batch]`. */
  private levelProbabilities(): tf.Tensor {
    const levels = tf.div(tf.range(0, this.bins, 1, 'float32'), this.bins - 1);
    const column = tf.reshape(levels, [this.bins, ...this.batchShape.map(() => 1)]);
    return tf.exp(this.logMass(column));
  }

  /** sum_k x_k P(x_k), `[...batch]`. A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return tf.tidy(() => {
      const levels = tf.div(tf.range(0, this.bins, 1, 'float32'), this.bins - 1);
      const column = tf.reshape(levels, [this.bins, ...this.batchShape.map(() => 1)]);
      return tf.sum(tf.mul(this.levelProbabilities(), column), 0);
    });
  }

  /** sum_k (x_k - mean)^2 P(x_k), `[...batch]`. A new tensor; the caller owns (disposes) it. */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const levels = tf.div(tf.range(0, this.bins, 1, 'float32'), this.bins - 1);
      const column = tf.reshape(levels, [this.bins, ...this.batchShape.map(() => 1)]);
      const probabilities = this.levelProbabilities();
      const mean = tf.sum(tf.mul(probabilities, column), 0);
      return tf.sum(tf.mul(probabilities, tf.square(tf.sub(column, mean))), 0);
    });
  }

  /** The level with the largest mass, `[...batch]`. A new tensor; the caller owns (disposes) it. */
  override mode(): tf.Tensor {
    return tf.tidy(() =>
      tf.div(tf.cast(tf.argMax(this.levelProbabilities(), 0), 'float32'), this.bins - 1),
    );
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): DiscretizedLogistic {
    return new DiscretizedLogistic({
      loc: map.param(this.loc),
      scale: map.param(this.scale),
      bins: this.bins,
      validateArgs: this.validateArgs,
    });
  }
}
