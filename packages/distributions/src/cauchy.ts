import * as tf from '@tensorflow/tfjs-core';
import { log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { cauchyCdf, cauchyQuantile } from './internal/cauchy-math.js';
import { type Constraint, real, unitInterval } from './internal/constraints.js';
import { parseLocScale } from './internal/loc-scale.js';
import { openUniform } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { registerKL } from './kl-registry.js';

/**
 * Options of {@link Cauchy}: `loc` (finite) and `scale` (positive), broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Cauchy, type CauchyOptions } from '@vae/distributions';
 *
 * const options: CauchyOptions = { loc: [0, 1], scale: 0.5 };
 * new Cauchy(options).icdf(0.75).print(); // -> [0.5, 1.5]
 * ```
 */
export interface CauchyOptions extends DistributionOptions {
  /** Median and mode, finite. */
  loc: ParamLike;
  /** Half width at half maximum, positive. */
  scale: ParamLike;
}

/**
 * The Cauchy (Lorentz) distribution with density 1 / (pi scale (1 + ((x - loc) / scale)^2)),
 * batched over the broadcast shape of `loc` and `scale` (event shape `[]`). It has no mean
 * (`mean` is NaN) and infinite `variance`. `rsample` is `loc + scale * icdf(u)` with
 * `u ~ U(0, 1)`; `cdf` and `icdf` keep both tails accurate (`icdf(1e-30)` is -3.2e29).
 *
 * `loc` and `scale` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Cauchy } from '@vae/distributions';
 *
 * const cauchy = new Cauchy({ loc: 0, scale: [1, 2] }); // batchShape [2]
 * const x = cauchy.rsample([100], 3); // [100, 2]
 * const logp = cauchy.logProb(x); // [100, 2]
 * console.log(x.shape, logp.shape); // -> [ 100, 2 ] [ 100, 2 ]
 * cauchy.dispose();
 * ```
 */
export class Cauchy extends Distribution {
  /** The `loc` parameter as a float32 tensor, broadcast with the others to the batch shape (the median). */
  readonly loc: tf.Tensor;
  /** The `scale` parameter as a float32 tensor, broadcast with the others to the batch shape (the half-width at half-maximum). */
  readonly scale: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `scale` (see {@link CauchyOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: CauchyOptions) {
    const scope = new ParamScope('Cauchy', options);
    const { loc, scale } = parseLocScale(scope, options);
    super({ batchShape: loc.shape }, scope);
    this.loc = loc;
    this.scale = scale;
  }

  get support(): Constraint {
    return real;
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = openUniform(this.extendedShape(sampleShape), seed);
    return tf.add(this.loc, tf.mul(this.scale, cauchyQuantile(u)));
  }

  /** -log(pi) - log(scale) - log1p(z^2), z = (x - loc) / scale. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.sub(this.checkedValue(value), this.loc), this.scale);
      return tf.neg(tf.add(tf.add(tf.log(this.scale), Math.log(Math.PI)), log1p(tf.square(z))));
    });
  }

  /** log(4 pi scale). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.add(tf.log(this.scale), Math.log(4 * Math.PI)));
  }

  /** NaN: the Cauchy distribution has no mean. A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return tf.fill(this.batchShape, Number.NaN);
  }

  override mode(): tf.Tensor {
    return this.loc.clone();
  }

  /** +Infinity. A new tensor; the caller owns (disposes) it. */
  override variance(): tf.Tensor {
    return tf.fill(this.batchShape, Number.POSITIVE_INFINITY);
  }

  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() =>
      cauchyCdf(tf.div(tf.sub(this.checkedValue(value, 'cdf'), this.loc), this.scale)),
    );
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const q = this.checkedValue(p, 'icdf', unitInterval);
      return tf.add(this.loc, tf.mul(this.scale, cauchyQuantile(q)));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Cauchy {
    return new Cauchy({
      loc: map.param(this.loc),
      scale: map.param(this.scale),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(Cauchy || Cauchy) = log(((s1 + s2)^2 + (m1 - m2)^2) / (4 s1 s2)) (Chyzak and Nielsen 2019). */
export function klCauchyCauchy(p: Cauchy, q: Cauchy): tf.Tensor {
  const spread = tf.add(tf.square(tf.add(p.scale, q.scale)), tf.square(tf.sub(p.loc, q.loc)));
  return tf.log(tf.div(spread, tf.mul(tf.mul(p.scale, q.scale), 4)));
}

registerKL(Cauchy, Cauchy, klCauchyCauchy);
