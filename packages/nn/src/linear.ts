import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import type { Activation } from './activation.js';
import { glorotUniform, type Initializer, zeros } from './initializers.js';
import { dense } from './internal/dense.js';
import { deriveSeed, randomSeed } from './internal/seed.js';
import { type CallOptions, Module } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** The size of the input's last axis. */
  inFeatures: number;
  /** The size of the output's last axis. */
  outFeatures: number;
  /** Whether to add a learned bias (default true). */
  bias?: boolean;
  /** Weight initializer (default `glorotUniform`). */
  init?: Initializer;
  /** Bias initializer (default `zeros`). */
  biasInit?: Initializer;
  /** Seed of the initial weights; the same seed gives the same weights. Random if omitted. */
  seed?: number;
  /**
   * Whether backpropagation computes d loss / d input (default true). Set it to
   * false on a first layer fed with data: training skips one matmul (about 15%
   * of an MLP VAE's step). Gradients with respect to that layer's input are
   * then unavailable (tfjs reports the input as unreachable). On wasm, binary
   * input (zeros and ones, at most a quarter ones) is then summed row by row
   * instead of multiplied, to the same floats. A layer that needs it only on
   * some calls keeps true and takes `{ inputGradient: false }` on the others
   * (see {@link CallOptions}).
   */
  inputGradient?: boolean;
}

/**
 * A dense layer y = x @ weight + bias: x [...batch, inFeatures] ->
 * y [...batch, outFeatures], weight [inFeatures, outFeatures], bias [outFeatures].
 *
 * Its gradient is written by hand with explicit transposes followed by plain
 * matmuls (tfjs's own uses transposed matmuls, ~10x slower on wasm), and
 * {@link Linear.callWith} applies an activation in the same fused kernel.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Linear } from '@vae/nn';
 * const layer = new Linear({ inFeatures: 784, outFeatures: 400, seed: 1 });
 * const y = layer.apply(tf.zeros([128, 784])); // [128, 400]
 * ```
 */
export class Linear extends Module {
  /** The size of the input's last axis. */
  readonly inFeatures: number;
  /** The size of the output's last axis. */
  readonly outFeatures: number;
  /** The weight, [inFeatures, outFeatures]. */
  readonly weight: tf.Variable<tf.Rank.R2>;
  /** The bias, [outFeatures], or `undefined` without one. */
  readonly bias: tf.Variable<tf.Rank.R1> | undefined;
  /** Whether the backward pass computes the gradient with respect to the input. */
  readonly inputGradient: boolean;

  /**
   * A fully connected layer y = x W + b.
   *
   * @param options - Sizes, initializer, bias and seed; see {@link LinearOptions}.
   */
  constructor(options: LinearOptions) {
    super();
    const { inFeatures, outFeatures } = options;
    for (const [name, value] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      ensureArgument(
        Number.isInteger(value) && value > 0,
        () => `Linear: \`${name}\` must be a positive integer, got ${value}`,
      );
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.inputGradient = options.inputGradient ?? true;
    const seed = options.seed ?? randomSeed();
    const fans = { fanIn: inFeatures, fanOut: outFeatures };
    const init = options.init ?? glorotUniform;
    this.weight = this.createParameter('weight', [inFeatures, outFeatures], () =>
      init([inFeatures, outFeatures], fans, deriveSeed(seed, 0)),
    ) as tf.Variable<tf.Rank.R2>;
    const biasInit = options.biasInit ?? zeros;
    this.bias =
      (options.bias ?? true)
        ? (this.createParameter('bias', [outFeatures], () =>
            biasInit([outFeatures], fans, deriveSeed(seed, 1)),
          ) as tf.Variable<tf.Rank.R1>)
        : undefined;
  }

  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'Linear';

  override getConfig(): ModuleConfig {
    return {
      inFeatures: this.inFeatures,
      outFeatures: this.outFeatures,
      bias: this.bias !== undefined,
      inputGradient: this.inputGradient,
    };
  }

  /** Rebuilds the layer from {@link Linear.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): Linear {
    const read = context.read(config, 'Linear');
    return new Linear({
      inFeatures: read.positiveInteger('inFeatures'),
      outFeatures: read.positiveInteger('outFeatures'),
      bias: read.boolean('bias', true),
      inputGradient: read.boolean('inputGradient', true),
    });
  }

  /**
   * x [...batch, inFeatures] -> [...batch, outFeatures]; `options.inputGradient: false`
   * when x is data (see {@link CallOptions}).
   */
  override call(x: tf.Tensor, options?: CallOptions): tf.Tensor {
    return this.callWith(x, undefined, options);
  }

  /** `call(x, options)`: a Linear takes {@link CallOptions}. */
  override callWithOptions(x: tf.Tensor, options?: CallOptions): tf.Tensor {
    return this.call(x, options);
  }

  /**
   * activation(x @ weight + bias) in one fused op with a hand-written gradient;
   * `Sequential` uses it for a `Linear` followed by an `Activation`.
   */
  callWith(x: tf.Tensor, activation: Activation | undefined, call?: CallOptions): tf.Tensor {
    ensureArgument(
      x.rank >= 1 && x.shape[x.rank - 1] === this.inFeatures,
      () =>
        `Linear: input must have last axis ${this.inFeatures}, got a tensor of shape [${x.shape}]`,
    );
    const options = {
      activation: activation?.kind ?? 'linear',
      alpha: activation?.alpha ?? 0.2,
      inputGradient: this.inputGradient && call?.inputGradient !== false,
    } as const;
    const params = { w: this.weight, b: this.bias };
    if (x.rank === 2) return dense(x as tf.Tensor2D, params, options);
    const flat = tf.reshape(x, [-1, this.inFeatures]) as tf.Tensor2D;
    const y = dense(flat, params, options);
    return tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
  }
}
