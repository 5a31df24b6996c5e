import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { checkSeed, ensureArgument, formatShape } from '@vae/divergence';
import { Decoder } from './decoder.js';
import { Encoder } from './encoder.js';
import { type CallOptions, Module } from './module.js';
import { Prior } from './prior.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';
import { StandardNormalPrior } from './standard-normal-prior.js';

/**
 * Options of the {@link VAE} constructor (the presets build these for you).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { BernoulliDecoder, GaussianEncoder, Linear, relu, Sequential, type VaeOptions } from '@vae/nn';
 * const options: VaeOptions = {
 *   encoder: new GaussianEncoder({
 *     body: new Sequential([new Linear({ inFeatures: 784, outFeatures: 64, seed: 1 }), relu()]),
 *     features: 64,
 *     latentDim: 2,
 *     seed: 2,
 *   }),
 *   decoder: new BernoulliDecoder({
 *     body: new Linear({ inFeatures: 2, outFeatures: 784, seed: 3 }),
 *     eventShape: [784],
 *   }),
 * };
 * ```
 */
export interface VaeOptions {
  /** x [batch, ...dataShape] -> q(z | x). */
  encoder: Encoder;
  /** z [batch, latentDim] -> p(x | z) with event shape dataShape. */
  decoder: Decoder;
  /** p(z); default N(0, I) ({@link StandardNormalPrior}). */
  prior?: Prior;
}

/**
 * A variational autoencoder made of three components: a prior p(z), an encoder
 * q(z | x) and a decoder p(x | z). x is [batch, ...dataShape], z is
 * [batch, latentDim]. Parameters are named `encoder.*`, `decoder.*` and
 * `prior.*`; the whole model saves and loads with `saveModel` / `loadModel`.
 *
 * `encode`, `decode` and `priorDistribution` return distributions the caller
 * owns (`dispose()` them, or call inside `tf.tidy`); the other methods return
 * tensors the caller owns. Inputs are never disposed.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { mlpVAE } from '@vae/nn';
 * const model = mlpVAE({ inputShape: [784], hidden: [64], latentDim: 2, seed: 1 });
 * const images = model.sample(16, { seed: 2 }); // [16, 784] pixel probabilities
 * images.dispose();
 * model.dispose();
 * ```
 */
export class VAE extends Module {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'VAE';
  /** x -> q(z | x). */
  readonly encoder: Encoder;
  /** z -> p(x | z). */
  readonly decoder: Decoder;
  /** p(z). */
  readonly prior: Prior;
  /** The size of z. */
  readonly latentDim: number;
  /** The shape of one data example. */
  readonly dataShape: readonly number[];

  /**
   * A VAE from an encoder, a decoder and a prior (default N(0, I)).
   *
   * @param options - The `encoder`, `decoder` and optional `prior`; see {@link VaeOptions}.
   */
  constructor(options: VaeOptions) {
    super();
    const { encoder, decoder } = options;
    const prior = options.prior ?? new StandardNormalPrior({ latentDim: encoder.latentDim });
    ensureArgument(
      prior.latentDim === encoder.latentDim,
      () =>
        `VAE: the prior's latentDim ${prior.latentDim} differs from the encoder's ${encoder.latentDim}`,
    );
    this.encoder = this.addModule('encoder', encoder);
    this.decoder = this.addModule('decoder', decoder);
    this.prior = this.addModule('prior', prior);
    prior.bindEncoder(encoder);
    this.latentDim = encoder.latentDim;
    this.dataShape = decoder.eventShape;
  }

  /**
   * x [batch, ...dataShape] -> q(z | x): batch [batch], event [latentDim].
   * `options.inputGradient: false` when nobody reads a gradient with respect to x
   * (training losses pass it; see {@link CallOptions}).
   */
  encode(x: tf.Tensor, options?: CallOptions): Distribution {
    this.#checkData('encode', x);
    return this.encoder.call(x, options);
  }

  /** z [batch, latentDim] -> p(x | z): batch [batch], event dataShape. */
  decode(z: tf.Tensor): Distribution {
    ensureArgument(
      z.rank === 2 && z.shape[1] === this.latentDim,
      () =>
        `VAE.decode: \`z\` must be [batch, ${this.latentDim}], got a tensor of shape ${formatShape(z.shape)}`,
    );
    return this.decoder.call(z);
  }

  /** p(z): batch [], event [latentDim], built from the prior's current parameters. */
  priorDistribution(): Distribution {
    return this.prior.distribution();
  }

  /**
   * x [batch, ...dataShape] -> one point code per input [batch, latentDim]: the
   * posterior mean, or for a flow posterior the base mean pushed through the flow
   * (see {@link Encoder.code}). The caller owns it.
   */
  code(x: tf.Tensor): tf.Tensor {
    this.#checkData('code', x);
    return this.encoder.code(x);
  }

  /** Reconstruction of x through its code ({@link VAE.code}): the decoded mean [batch, ...dataShape]. */
  call(x: tf.Tensor): tf.Tensor {
    return this.reconstruct(x);
  }

  /**
   * Decoded means (probabilities for a Bernoulli decoder) of `n` draws from the
   * prior: [n, ...dataShape]. The same seed gives the same images (seed 0 too).
   */
  sample(n: number, options: { seed?: number } = {}): tf.Tensor {
    ensureArgument(
      Number.isInteger(n) && n > 0,
      () => `VAE.sample: \`n\` must be a positive integer, got ${n}`,
    );
    checkSeed('VAE.sample', options.seed);
    return tf.tidy(() => this.decoder.mean(this.prior.sample(n, options)));
  }

  /**
   * Encodes x and decodes its code ({@link VAE.code}: the posterior mean, or for a
   * flow posterior the base mean through the flow), or one posterior draw with
   * `{ sample: true }`: [batch, ...dataShape].
   */
  reconstruct(x: tf.Tensor, options: { sample?: boolean; seed?: number } = {}): tf.Tensor {
    this.#checkData('reconstruct', x);
    checkSeed('VAE.reconstruct', options.seed);
    return tf.tidy(() => {
      if (options.sample !== true) return this.decoder.mean(this.encoder.code(x));
      const q = this.encoder.call(x);
      try {
        return this.decoder.mean(q.sample([], options.seed));
      } finally {
        q.dispose();
      }
    });
  }

  /**
   * Decoded means along the straight line between the codes ({@link VAE.code}) of `a`
   * and `b` (each [...dataShape] or [1, ...dataShape]), endpoints included:
   * [steps, ...dataShape].
   */
  interpolate(a: tf.Tensor, b: tf.Tensor, steps: number): tf.Tensor {
    ensureArgument(
      Number.isInteger(steps) && steps >= 2,
      () => `VAE.interpolate: \`steps\` must be an integer >= 2, got ${steps}`,
    );
    return tf.tidy(() => {
      const one = (t: tf.Tensor) => (t.rank === this.dataShape.length ? tf.expandDims(t, 0) : t);
      const x = tf.concat([one(a), one(b)], 0);
      this.#checkData('interpolate', x);
      const [za, zb] = tf.split(this.encoder.code(x), 2, 0) as [tf.Tensor, tf.Tensor];
      const t = tf.reshape(tf.linspace(0, 1, steps), [steps, 1]);
      return this.decoder.mean(tf.add(za, tf.mul(t, tf.sub(zb, za))));
    });
  }

  override getConfig(): ModuleConfig {
    return { encoder: this.encoder.spec(), decoder: this.decoder.spec(), prior: this.prior.spec() };
  }

  /** Rebuilds the VAE from {@link VAE.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): VAE {
    const read = context.read(config, 'VAE');
    return new VAE({
      encoder: context.build(read.value('encoder'), 'VAE.encoder', Encoder),
      decoder: context.build(read.value('decoder'), 'VAE.decoder', Decoder),
      prior: context.build(read.value('prior'), 'VAE.prior', Prior),
    });
  }

  #checkData(method: string, x: tf.Tensor): void {
    const shape = this.dataShape;
    ensureArgument(
      x.rank === shape.length + 1 && shape.every((d, i) => x.shape[i + 1] === d),
      () =>
        `VAE.${method}: \`x\` must be [batch, ${shape.join(', ')}], got a tensor of shape ${formatShape(x.shape)}`,
    );
  }
}
