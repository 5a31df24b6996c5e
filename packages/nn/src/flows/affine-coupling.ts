import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { Activation, type ActivationName } from '../activation.js';
import { zeros } from '../initializers.js';
import { deriveSeed, randomSeed } from '../internal/seed.js';
import { Linear } from '../linear.js';
import type { Module } from '../module.js';
import { Sequential } from '../sequential.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import { type FlowDirection, type FlowForward, type FlowInverse, FlowLayer } from './flow-layer.js';

/**
 * Options of {@link AffineCoupling}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { AffineCouplingOptions } from '@vae/nn';
 * const options: AffineCouplingOptions = { features: 2, hidden: [64, 64], parity: 1, seed: 1 };
 * ```
 */
export interface AffineCouplingOptions {
  /** D >= 2, the size of the vectors. */
  features: number;
  /** Hidden widths of the conditioner MLP (default [64, 64]). */
  hidden?: number[];
  /**
   * Which features pass through unchanged and condition the others: those with
   * `i % 2 === parity` (default 0). Alternate it between layers.
   */
  parity?: 0 | 1;
  /** Default 'relu'. */
  activation?: ActivationName;
  /** Seed of the initial weights; random if omitted. */
  seed?: number;
}

/**
 * The RealNVP affine coupling layer (Dinh et al. 2017) on vectors `[...batch, D]`: the
 * features with `i % 2 === parity` pass through (x_a) and condition an MLP (child `net`) that
 * gives a shift t and a log-scale s = scale * tanh(raw) (parameter `scale` [D], starting at
 * 1) for the others: y_b = x_b exp(s(x_a)) + t(x_a). Both directions are one pass;
 * log |det dy/dx| = sum s. The net's last layer starts at zero (the identity).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { AffineCoupling } from '@vae/nn';
 * const coupling = new AffineCoupling({ features: 2, hidden: [16], parity: 0, seed: 1 });
 * const y = coupling.apply(tf.ones([4, 2])); // [4, 2]
 * y.dispose();
 * coupling.dispose();
 * ```
 */
export class AffineCoupling extends FlowLayer {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'AffineCoupling';
  /** Widths of the hidden layers of the shift-and-scale network. */
  readonly hidden: readonly number[];
  /** Which half of the features is transformed (0: the second half, 1: the first). */
  readonly parity: 0 | 1;
  /** The hidden layers' activation. */
  readonly activation: ActivationName;
  /** The conditioner: x_a (masked) -> [t, raw] [...batch, 2D]. */
  readonly net: Sequential;
  /** Bounds of the log-scales: s = scale * tanh(raw), [D]. */
  readonly scale: tf.Variable;
  readonly #mask: Float32Array;

  /**
   * A RealNVP affine coupling layer.
   *
   * @param options - Features, hidden widths, parity and seed; see {@link AffineCouplingOptions}.
   */
  constructor(options: AffineCouplingOptions) {
    super('AffineCoupling', options.features);
    const { features } = options;
    const hidden = options.hidden ?? [64, 64];
    const parity = options.parity ?? 0;
    ensureArgument(
      features >= 2,
      () => `AffineCoupling: \`features\` must be at least 2, got ${features}`,
    );
    ensureArgument(
      Array.isArray(hidden) && hidden.every((h) => Number.isInteger(h) && h > 0),
      () =>
        `AffineCoupling: \`hidden\` must be a list of positive integers, got ${JSON.stringify(hidden)}`,
    );
    ensureArgument(
      parity === 0 || parity === 1,
      () => `AffineCoupling: \`parity\` must be 0 or 1, got ${JSON.stringify(parity)}`,
    );
    this.hidden = [...hidden];
    this.parity = parity;
    this.activation = options.activation ?? 'relu';
    const seed = options.seed ?? randomSeed();
    const layers: Module[] = [];
    let width = features;
    for (const [i, h] of hidden.entries()) {
      layers.push(
        new Linear({ inFeatures: width, outFeatures: h, seed: deriveSeed(seed, i) }),
        new Activation(this.activation),
      );
      width = h;
    }
    layers.push(new Linear({ inFeatures: width, outFeatures: 2 * features, init: zeros, seed }));
    this.net = this.addModule('net', new Sequential(layers));
    this.scale = this.createParameter('scale', [features], () => tf.ones([features]));
    this.#mask = Float32Array.from({ length: features }, (_, i) => (i % 2 === parity ? 1 : 0));
  }

  get fastDirection(): FlowDirection {
    return 'both';
  }

  override getConfig(): ModuleConfig {
    return {
      features: this.features,
      hidden: [...this.hidden],
      parity: this.parity,
      activation: this.activation,
    };
  }

  /** Rebuilds the layer from {@link AffineCoupling.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): AffineCoupling {
    const read = context.read(config, 'AffineCoupling');
    return new AffineCoupling({
      features: read.positiveInteger('features'),
      hidden: read.shape('hidden', { allowEmpty: true }),
      parity: read.value('parity') as 0 | 1,
      activation: read.value('activation') as ActivationName,
    });
  }

  protected computeForward(x: tf.Tensor): FlowForward {
    const { shift, logScale } = this.#conditioner(x);
    return { y: tf.add(tf.mul(x, tf.exp(logScale)), shift), logDet: tf.sum(logScale, -1) };
  }

  protected computeInverse(y: tf.Tensor): FlowInverse {
    const { shift, logScale } = this.#conditioner(y);
    return {
      x: tf.mul(tf.sub(y, shift), tf.exp(tf.neg(logScale))),
      logDet: tf.neg(tf.sum(logScale, -1)),
    };
  }

  /** Shift and log-scale [...batch, D] from the pass-through half (zero on that half). */
  #conditioner(value: tf.Tensor): { shift: tf.Tensor; logScale: tf.Tensor } {
    const mask = tf.tensor1d(this.#mask);
    const free = tf.sub(1, mask);
    const [t, raw] = tf.split(this.net.call(tf.mul(value, mask)), 2, -1) as [tf.Tensor, tf.Tensor];
    return {
      shift: tf.mul(t, free),
      logScale: tf.mul(tf.mul(tf.tanh(raw), this.scale), free),
    };
  }
}
