import * as tf from '@tensorflow/tfjs-core';
import { type Distribution, Independent, Normal } from '@vae/distributions';
import { ensureArgument } from '@vae/divergence';
import { loadArtifactsInto, moduleToArtifacts } from './checkpoint.js';
import type { Decoder } from './decoder.js';
import type { DiagonalNormalPosterior } from './diagonal-normal-posterior.js';
import type { GaussianEncoder } from './gaussian-encoder.js';
import { Module } from './module.js';
import type { VaeConfig } from './vae-config.js';

/** Options of the {@link VAE} constructor (the presets build these for you). */
export interface VaeOptions {
  encoder: GaussianEncoder;
  decoder: Decoder;
  /** The architecture, recorded in checkpoints. */
  config: VaeConfig;
}

/**
 * A variational autoencoder: prior p(z) = N(0, I), encoder q(z | x), decoder
 * p(x | z). x is [batch, ...dataShape], z is [batch, latentDim]. Parameters
 * are named `encoder.*` and `decoder.*`.
 *
 * `encode` and `decode` return distributions the caller owns (`dispose()` them,
 * or call inside `tf.tidy`); the other methods return tensors the caller owns.
 *
 * @example
 * ```ts
 * const model = mlpVAE({ inputShape: [784], hidden: [400], latentDim: 20, seed: 1 });
 * const images = model.sample(16, { seed: 2 }); // [16, 784] probabilities
 * await model.save(tf.io.withSaveHandler(async (artifacts) => ({ modelArtifactsInfo: ... })));
 * ```
 */
export class VAE extends Module {
  readonly encoder: GaussianEncoder;
  readonly decoder: Decoder;
  readonly config: VaeConfig;
  /** p(z) = Independent(Normal(0, 1), 1) over [latentDim]. */
  readonly prior: Distribution;
  /** Marks the prior as N(0, I) so `@vae/elbo` can use the closed-form KL. */
  readonly standardNormalPrior = true;
  readonly latentDim: number;
  readonly dataShape: readonly number[];

  constructor(options: VaeOptions) {
    super();
    this.encoder = this.addModule('encoder', options.encoder);
    this.decoder = this.addModule('decoder', options.decoder);
    this.config = options.config;
    this.latentDim = options.encoder.latentDim;
    this.dataShape = options.decoder.eventShape;
    const loc = tf.zeros([this.latentDim]);
    const scale = tf.ones([this.latentDim]);
    const base = new Normal({ loc, scale, validateArgs: false });
    this.prior = new Independent(base, 1, { validateArgs: false });
    this.#priorTensors = [loc, scale];
  }

  readonly #priorTensors: tf.Tensor[];

  /** x [batch, ...dataShape] -> q(z | x): batch [batch], event [latentDim], with `loc` and `logVariance`. */
  encode(x: tf.Tensor): DiagonalNormalPosterior {
    this.#checkData('encode', x);
    return this.encoder.call(x);
  }

  /** z [batch, latentDim] -> p(x | z): batch [batch], event dataShape. */
  decode(z: tf.Tensor): Distribution {
    ensureArgument(
      z.rank === 2 && z.shape[1] === this.latentDim,
      () =>
        `VAE.decode: \`z\` must be [batch, ${this.latentDim}], got a tensor of shape [${z.shape}]`,
    );
    return this.decoder.call(z);
  }

  /** Reconstruction of x through the posterior mean: the decoded mean [batch, ...dataShape]. */
  call(x: tf.Tensor): tf.Tensor {
    return this.reconstruct(x);
  }

  /**
   * Decoded means (probabilities for a Bernoulli decoder) of `n` draws from the
   * prior: [n, ...dataShape].
   */
  sample(n: number, options: { seed?: number } = {}): tf.Tensor {
    ensureArgument(
      Number.isInteger(n) && n > 0,
      () => `VAE.sample: \`n\` must be a positive integer, got ${n}`,
    );
    return tf.tidy(() => {
      const z = tf.randomNormal([n, this.latentDim], 0, 1, 'float32', options.seed);
      return this.decoder.mean(z);
    });
  }

  /**
   * Encodes x and decodes the posterior mean (or one posterior draw with
   * `{ sample: true }`): [batch, ...dataShape].
   */
  reconstruct(x: tf.Tensor, options: { sample?: boolean; seed?: number } = {}): tf.Tensor {
    this.#checkData('reconstruct', x);
    return tf.tidy(() => {
      const q = this.encoder.call(x);
      const z = options.sample ? q.rsample([], options.seed) : q.loc;
      return this.decoder.mean(z);
    });
  }

  /**
   * Decoded means along the straight line between the posterior means of `a`
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
      const q = this.encoder.call(x);
      const [za, zb] = tf.split(q.loc, 2, 0) as [tf.Tensor, tf.Tensor];
      const t = tf.reshape(tf.linspace(0, 1, steps), [steps, 1]);
      const z = tf.add(za, tf.mul(t, tf.sub(zb, za)));
      return this.decoder.mean(z);
    });
  }

  /** The weights and the manifest `{ format: 'vae', version: 1, architecture: config }`. */
  toArtifacts(): Promise<tf.io.ModelArtifacts> {
    return moduleToArtifacts(this, this.config);
  }

  /**
   * Loads weights checked against this model: VaeError CHECKPOINT_MISMATCH
   * (architecture) or CHECKPOINT_CORRUPT (names, shapes, bytes, non-finite values).
   */
  fromArtifacts(artifacts: tf.io.ModelArtifacts): void {
    loadArtifactsInto(this, artifacts, this.config);
  }

  /** Saves through any tfjs IOHandler (`indexeddb://...`, `downloads://...`, `tf.io.withSaveHandler`). */
  async save(handler: tf.io.IOHandler): Promise<tf.io.SaveResult> {
    ensureArgument(typeof handler?.save === 'function', () => 'VAE.save: `handler` has no save()');
    return handler.save(await this.toArtifacts());
  }

  /** Loads through any tfjs IOHandler with `load()`; checks as {@link VAE.fromArtifacts}. */
  async load(handler: tf.io.IOHandler): Promise<void> {
    ensureArgument(typeof handler?.load === 'function', () => 'VAE.load: `handler` has no load()');
    this.fromArtifacts(await handler.load());
  }

  override dispose(): void {
    super.dispose();
    this.prior.dispose();
    tf.dispose(this.#priorTensors);
  }

  #checkData(method: string, x: tf.Tensor): void {
    const shape = this.dataShape;
    ensureArgument(
      x.rank === shape.length + 1 && shape.every((d, i) => x.shape[i + 1] === d),
      () =>
        `VAE.${method}: \`x\` must be [batch, ${shape.join(', ')}], got a tensor of shape [${x.shape}]`,
    );
  }
}
