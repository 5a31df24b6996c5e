import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { ensureArgument } from '@vae/divergence';
import { Encoder } from './encoder.js';
import { HierarchicalDistribution } from './hierarchical-distribution.js';
import type { CallOptions } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * Options of {@link HierarchicalEncoder}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { GaussianEncoder, type HierarchicalEncoderOptions, Linear } from '@vae/nn';
 * const options: HierarchicalEncoderOptions = {
 *   bottom: new GaussianEncoder({ body: new Linear({ inFeatures: 6, outFeatures: 8, seed: 1 }), features: 8, latentDim: 4, seed: 2 }),
 *   top: new GaussianEncoder({ body: new Linear({ inFeatures: 4, outFeatures: 8, seed: 3 }), features: 8, latentDim: 2, seed: 4 }),
 * };
 * ```
 */
export interface HierarchicalEncoderOptions {
  /** x [batch, ...dataShape] -> q(z1 | x), event [latentDim of z1]. */
  bottom: Encoder;
  /** z1 [n, bottom.latentDim] -> q(z2 | z1), event [latentDim of z2]. */
  top: Encoder;
}

/**
 * The inference network of a two-stochastic-layer VAE (Burda et al. 2016):
 * q(z | x) = q(z1 | x) q(z2 | z1) over the joint latent z = [z1, z2]
 * ([batch, d1 + d2]), a {@link HierarchicalDistribution}. Both levels are any
 * {@link Encoder} (children `bottom` and `top`): a {@link GaussianEncoder}, or a
 * flow posterior on top of one. Sampling is ancestral and reparameterized, so
 * `elbo`, `iwae` and `logLikelihood` of `@vae/elbo` work on a VAE built with it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GaussianEncoder, HierarchicalEncoder, Linear, Sequential, tanh } from '@vae/nn';
 * const encoder = new HierarchicalEncoder({
 *   bottom: new GaussianEncoder({
 *     body: new Sequential([new Linear({ inFeatures: 6, outFeatures: 8, seed: 1 }), tanh()]),
 *     features: 8,
 *     latentDim: 4,
 *     seed: 2,
 *   }),
 *   top: new GaussianEncoder({
 *     body: new Sequential([new Linear({ inFeatures: 4, outFeatures: 8, seed: 3 }), tanh()]),
 *     features: 8,
 *     latentDim: 2,
 *     seed: 4,
 *   }),
 * });
 * const q = encoder.call(tf.ones([5, 6])); // batch [5], event [6] = [z1 (4), z2 (2)]
 * const z = q.rsample([], 0); // [5, 6]
 * const logq = q.logProb(z); // [5]
 * tf.dispose([z, logq]);
 * q.dispose();
 * encoder.dispose();
 * ```
 */
export class HierarchicalEncoder extends Encoder {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'HierarchicalEncoder';
  /** q(z1 | x). */
  readonly bottom: Encoder;
  /** q(z2 | z1). */
  readonly top: Encoder;
  /** d1 + d2. */
  readonly latentDim: number;
  #topPath: Encoder | undefined;

  /**
   * A two-level encoder, q(z1 | x) q(z2 | z1).
   *
   * @param options - The `bottom` and `top` encoders; see {@link HierarchicalEncoderOptions}.
   */
  constructor(options: HierarchicalEncoderOptions) {
    super();
    const { bottom, top } = options;
    ensureArgument(
      bottom instanceof Encoder && top instanceof Encoder,
      () => 'HierarchicalEncoder: `bottom` and `top` must be Encoders',
    );
    this.bottom = this.addModule('bottom', bottom);
    this.top = this.addModule('top', top);
    this.latentDim = bottom.latentDim + top.latentDim;
  }

  /**
   * x [batch, ...dataShape] -> q(z1 | x) q(z2 | z1): batch [batch], event [d1 + d2]; the
   * caller owns it. `options` go to the bottom encoder (see {@link CallOptions}).
   */
  override call(x: tf.Tensor, options?: CallOptions): HierarchicalDistribution {
    return new HierarchicalDistribution({
      root: this.bottom.call(x, options),
      conditional: (z1) => this.top.call(z1),
      conditionalDim: this.top.latentDim,
      rootPosition: 'first',
    });
  }

  /**
   * The encoder x -> q(z2 | z1 = E[z1 | x]) (the top level at the bottom
   * level's mean): what a VampPrior over z2 applies to its pseudo-inputs. It
   * borrows this encoder's modules (not saved, not a child, never disposed).
   */
  topPath(): Encoder {
    this.#topPath ??= new TopPathEncoder(this);
    return this.#topPath;
  }

  override getConfig(): ModuleConfig {
    return { bottom: this.bottom.spec(), top: this.top.spec() };
  }

  /** Rebuilds the encoder from {@link HierarchicalEncoder.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): HierarchicalEncoder {
    const read = context.read(config, 'HierarchicalEncoder');
    return new HierarchicalEncoder({
      bottom: context.build(read.value('bottom'), 'HierarchicalEncoder.bottom', Encoder),
      top: context.build(read.value('top'), 'HierarchicalEncoder.top', Encoder),
    });
  }
}

/** x -> q(z2 | E[z1 | x]), borrowing a hierarchical encoder's levels. */
class TopPathEncoder extends Encoder {
  readonly latentDim: number;
  readonly #encoder: HierarchicalEncoder;

  constructor(encoder: HierarchicalEncoder) {
    super();
    this.#encoder = encoder;
    this.latentDim = encoder.top.latentDim;
    // Children only so that walks over the modules (VampPrior's check of the
    // first layer) see the bottom encoder's layers.
    this.addModule('bottom', encoder.bottom);
  }

  call(x: tf.Tensor): Distribution {
    const mean = tf.tidy(() => {
      const q1 = this.#encoder.bottom.call(x);
      try {
        return q1.mean();
      } finally {
        q1.dispose();
      }
    });
    try {
      return this.#encoder.top.call(mean);
    } finally {
      mean.dispose();
    }
  }

  override dispose(): void {}
}
