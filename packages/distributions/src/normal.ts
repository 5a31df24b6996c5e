import * as tf from '@tensorflow/tfjs-core';
import { randomStandardNormal } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import {
  type Constraint,
  finiteReal,
  positive,
  real,
  unitInterval,
} from './internal/constraints.js';
import { LOG_2PI, ndtri } from './internal/math.js';
import { ndtr } from './internal/normal-cdf.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { registerKL } from './kl-registry.js';

/**
 * Options of {@link Normal}: `loc` and `scale` broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Normal, type NormalOptions } from '@vae/distributions';
 *
 * const mu = tf.tensor1d([0, 1]); // encoder outputs
 * const logVariance = tf.tensor1d([0, Math.log(4)]);
 * const options: NormalOptions = { loc: mu, scale: tf.exp(tf.mul(logVariance, 0.5)), validateArgs: false };
 * new Normal(options).stddev().print(); // -> [1, 2]
 * ```
 */
export interface NormalOptions extends DistributionOptions {
  /** Mean, any real. */
  loc: ParamLike;
  /** Standard deviation, positive. */
  scale: ParamLike;
}

/**
 * The univariate normal N(loc, scale^2), batched over the broadcast shape of `loc` and `scale`
 * (event shape `[]`). `rsample` is `loc + scale * eps` with `eps ~ N(0, 1)`. Wrap it in
 * `Independent(normal, 1)` for a diagonal Gaussian over `[...batch, latentDim]`.
 *
 * `loc` and `scale` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Normal } from '@vae/distributions';
 *
 * const normal = new Normal({ loc: [0, 1], scale: 2 }); // batchShape [2]
 * const z = normal.rsample([16], 42); // [16, 2]
 * const logp = normal.logProb(z); // [16, 2]
 * console.log(z.shape, logp.shape); // -> [ 16, 2 ] [ 16, 2 ]
 * // log of 1 / (2 sqrt(2 pi)):
 * normal.logProb([0, 1]).print(); // -> [-1.6121, -1.6121]
 * normal.dispose();
 * ```
 */
export class Normal extends Distribution {
  /** The `loc` parameter as a float32 tensor, broadcast with the others to the batch shape (the mean). */
  readonly loc: tf.Tensor;
  /** The `scale` parameter as a float32 tensor, broadcast with the others to the batch shape (the standard deviation). */
  readonly scale: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `scale` (see {@link NormalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: NormalOptions) {
    const scope = new ParamScope('Normal', options);
    const params = scope.broadcast({
      loc: scope.param('loc', options.loc, finiteReal),
      scale: scope.param('scale', options.scale, positive),
    });
    super({ batchShape: params.loc.shape }, scope);
    this.loc = params.loc;
    this.scale = params.scale;
  }

  get support(): Constraint {
    return real;
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const eps = randomStandardNormal(this.extendedShape(sampleShape), seed);
    return tf.add(this.loc, tf.mul(this.scale, eps));
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.sub(this.checkedValue(value), this.loc), this.scale);
      return tf.sub(tf.mul(tf.square(z), -0.5), tf.add(tf.log(this.scale), 0.5 * LOG_2PI));
    });
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.add(tf.log(this.scale), 0.5 + 0.5 * LOG_2PI));
  }

  override mean(): tf.Tensor {
    return this.loc.clone();
  }

  override mode(): tf.Tensor {
    return this.loc.clone();
  }

  override variance(): tf.Tensor {
    return tf.square(this.scale);
  }

  override stddev(): tf.Tensor {
    return this.scale.clone();
  }

  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.sub(this.checkedValue(value, 'cdf'), this.loc), this.scale);
      return ndtr(z);
    });
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const q = this.checkedValue(p, 'icdf', unitInterval);
      return tf.add(this.loc, tf.mul(this.scale, ndtri(q)));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Normal {
    return new Normal({
      loc: map.param(this.loc),
      scale: map.param(this.scale),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(N(m1, s1^2) || N(m2, s2^2)) = 1/2 (r + ((m1 - m2)/s2)^2 - 1 - log r), r = (s1/s2)^2. */
function klNormalNormal(p: Normal, q: Normal): tf.Tensor {
  const ratio = tf.square(tf.div(p.scale, q.scale));
  const shift = tf.square(tf.div(tf.sub(p.loc, q.loc), q.scale));
  return tf.mul(tf.sub(tf.add(ratio, shift), tf.add(tf.log(ratio), 1)), 0.5);
}

registerKL(Normal, Normal, klNormalNormal);
