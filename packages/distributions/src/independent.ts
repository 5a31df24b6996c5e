import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import type { Constraint } from './internal/constraints.js';
import { sumRightmost } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { formatShape } from './internal/shapes.js';
import { klDivergence, registerKL } from './kl-registry.js';

/**
 * Reinterprets the rightmost `reinterpretedBatchDims` batch axes of `base` as event axes: with
 * base batch `[...batch, latentDim]` and 1 reinterpreted axis the batch shape is `[...batch]`
 * and the event shape `[latentDim]`, so `logProb` and `entropy` sum over `latentDim`. This is
 * the diagonal Gaussian posterior of a VAE. Sampling delegates to `base` (reparameterized where
 * the base is). `dispose()` does not dispose `base`: the caller owns it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Independent, Normal } from '@vae/distributions';
 *
 * const mu = tf.zeros([4, 2]); // encoder outputs [batch, latentDim]
 * const sigma = tf.ones([4, 2]);
 * const posterior = new Independent(new Normal({ loc: mu, scale: sigma }), 1);
 * console.log(posterior.batchShape, posterior.eventShape); // -> [ 4 ] [ 2 ]
 * const z = posterior.rsample(); // [batch, latentDim]
 * const logq = posterior.logProb(z); // [batch]
 * console.log(z.shape, logq.shape); // -> [ 4, 2 ] [ 4 ]
 * ```
 */
export class Independent extends Distribution {
  /** The wrapped distribution, whose rightmost `reinterpretedBatchDims` batch axes are event axes here. */
  readonly base: Distribution;
  /** How many rightmost batch axes of `base` this distribution treats as event axes. */
  readonly reinterpretedBatchDims: number;

  /**
   * Reinterprets the last `reinterpretedBatchDims` batch axes of `base` as event axes.
   *
   * @param base - The distribution whose batch axes become event axes (borrowed: never disposed here).
   * @param reinterpretedBatchDims - How many trailing batch axes to move, from 0 to the base's batch rank.
   * @param options - `validateArgs` (default true).
   */
  constructor(
    base: Distribution,
    reinterpretedBatchDims: number,
    options: DistributionOptions = {},
  ) {
    if (!(base instanceof Distribution)) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `Independent: \`base\` must be a Distribution, got ${String(base)}`,
      );
    }
    const rank = base.batchShape.length;
    if (
      !Number.isInteger(reinterpretedBatchDims) ||
      reinterpretedBatchDims < 0 ||
      reinterpretedBatchDims > rank
    ) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `Independent: \`reinterpretedBatchDims\` must be an integer in [0, ${rank}] for a base of batch shape ${formatShape(base.batchShape)}, got ${reinterpretedBatchDims}`,
      );
    }
    const scope = new ParamScope('Independent', {
      validateArgs: options.validateArgs ?? base.validateArgs,
    });
    const split = rank - reinterpretedBatchDims;
    super(
      {
        batchShape: base.batchShape.slice(0, split),
        eventShape: [...base.batchShape.slice(split), ...base.eventShape],
      },
      scope,
    );
    this.base = base;
    this.reinterpretedBatchDims = reinterpretedBatchDims;
  }

  get support(): Constraint {
    return this.base.support;
  }

  override get hasRsample(): boolean {
    return this.base.hasRsample;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return this.base.hasRsample
      ? this.base.rsample(sampleShape, seed)
      : this.base.sample(sampleShape, seed);
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => sumRightmost(this.base.logProb(value), this.reinterpretedBatchDims));
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => sumRightmost(this.base.entropy(), this.reinterpretedBatchDims));
  }

  override mean(): tf.Tensor {
    return this.base.mean();
  }

  override variance(): tf.Tensor {
    return this.base.variance();
  }

  override stddev(): tf.Tensor {
    return this.base.stddev();
  }

  override mode(): tf.Tensor {
    return this.base.mode();
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Independent {
    const n = this.reinterpretedBatchDims;
    return new Independent(map.child(this.base, n), n, { validateArgs: this.validateArgs });
  }
}

/** Sums the base KL over the reinterpreted axes; both sides must reinterpret the same count. */
function klIndependentIndependent(p: Independent, q: Independent): tf.Tensor {
  if (p.reinterpretedBatchDims !== q.reinterpretedBatchDims) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `klDivergence: Independent distributions must reinterpret the same number of batch axes, got ${p.reinterpretedBatchDims} and ${q.reinterpretedBatchDims}`,
    );
  }
  return sumRightmost(klDivergence(p.base, q.base), p.reinterpretedBatchDims);
}

registerKL(Independent, Independent, klIndependentIndependent);
