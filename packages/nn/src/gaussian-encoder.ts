import * as tf from '@tensorflow/tfjs-core';
import { DiagonalNormal } from './diagonal-normal.js';
import { Encoder } from './encoder.js';
import { deriveSeed } from './internal/seed.js';
import { Linear } from './linear.js';
import type { CallOptions, Module } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** Options of {@link GaussianEncoder}. */
export interface GaussianEncoderOptions {
  /** Maps x [batch, ...dataShape] to features [batch, features]. */
  body: Module;
  /** Width of the body's output. */
  features: number;
  /** The size of z. */
  latentDim: number;
  /** Seed of the two heads' initial weights. */
  seed?: number;
}

/**
 * Maps x to q(z | x) = N(loc(x), diag(exp(logVariance(x)))): a body followed
 * by two linear heads named `loc` and `logVariance`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GaussianEncoder, Linear, Sequential, relu } from '@vae/nn';
 *
 * const encoder = new GaussianEncoder({
 *   body: new Sequential([new Linear({ inFeatures: 8, outFeatures: 16, seed: 1 }), relu()]),
 *   features: 16,
 *   latentDim: 2,
 *   seed: 2,
 * });
 * const x = tf.randomUniform([3, 8], 0, 1, 'float32', 3);
 * const q = encoder.call(x); // loc, logVariance: [3, 2]
 * console.log(q.loc.shape, q.logVariance.shape); // -> [ 3, 2 ] [ 3, 2 ]
 * ```
 */
export class GaussianEncoder extends Encoder {
  /** The network from x to features. */
  readonly body: Module;
  /** The linear head from features to the posterior means. */
  readonly locHead: Linear;
  /** The linear head from features to the posterior log-variances. */
  readonly logVarianceHead: Linear;
  readonly latentDim: number;

  /**
   * An encoder to a diagonal Gaussian posterior: a body and two linear heads.
   *
   * @param options - The body, its output `features`, `latentDim` and seed; see {@link GaussianEncoderOptions}.
   */
  constructor(options: GaussianEncoderOptions) {
    super();
    const { features, latentDim, seed } = options;
    this.latentDim = latentDim;
    this.body = this.addModule('body', options.body);
    const head = (offset: number) =>
      new Linear({
        inFeatures: features,
        outFeatures: latentDim,
        ...(seed === undefined ? {} : { seed: deriveSeed(seed, offset) }),
      });
    this.locHead = this.addModule('loc', head(1));
    this.logVarianceHead = this.addModule('logVariance', head(2));
  }

  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'GaussianEncoder';

  override getConfig(): ModuleConfig {
    return {
      body: this.body.spec(),
      features: this.locHead.inFeatures,
      latentDim: this.latentDim,
    };
  }

  /** Rebuilds the encoder from {@link GaussianEncoder.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): GaussianEncoder {
    const read = context.read(config, 'GaussianEncoder');
    return new GaussianEncoder({
      body: context.build(read.value('body'), 'GaussianEncoder.body'),
      features: read.positiveInteger('features'),
      latentDim: read.positiveInteger('latentDim'),
    });
  }

  /**
   * The posterior parameters, loc and logVariance [batch, latentDim]; the caller owns
   * them. `options` go to the body (see {@link CallOptions}).
   */
  posteriorParameters(
    x: tf.Tensor,
    options?: CallOptions,
  ): {
    /** The posterior means [batch, latentDim]. */
    loc: tf.Tensor;
    /** The posterior log-variances [batch, latentDim]. */
    logVariance: tf.Tensor;
  } {
    const h = this.body.callWithOptions(x, options);
    return { loc: this.locHead.call(h), logVariance: this.logVarianceHead.call(h) };
  }

  /**
   * x [batch, ...dataShape] -> q(z | x) with batch shape [batch] and event shape
   * [latentDim]; `options` go to the body (see {@link CallOptions}).
   */
  override call(x: tf.Tensor, options?: CallOptions): DiagonalNormal {
    const [loc, logVariance] = tf.tidy(() => {
      const p = this.posteriorParameters(x, options);
      return [p.loc, p.logVariance];
    }) as [tf.Tensor, tf.Tensor];
    return new DiagonalNormal(loc, logVariance);
  }
}
