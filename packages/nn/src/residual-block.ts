import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument, formatShape } from '@vae/divergence';
import { Activation, type ActivationName } from './activation.js';
import { ConvTranspose2d } from './conv-transpose2d.js';
import { Conv2d } from './conv2d.js';
import { heUniform } from './initializers.js';
import { deriveSeed, randomSeed } from './internal/seed.js';
import { Module } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** How a {@link ResidualBlock} changes height and width. */
export type Resample = 'none' | 'down' | 'up';

const RESAMPLES: readonly Resample[] = ['none', 'down', 'up'];

/**
 * Options of {@link ResidualBlock}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { ResidualBlockOptions } from '@vae/nn';
 * const options: ResidualBlockOptions = { inChannels: 16, outChannels: 32, resample: 'down', seed: 1 };
 * ```
 */
export interface ResidualBlockOptions {
  /** Channels of the input. */
  inChannels: number;
  /** Channels of the output. */
  outChannels: number;
  /**
   * `'none'` (default) keeps height and width; `'down'` halves them (the first
   * convolution has stride 2); `'up'` doubles them (a 4x4 stride-2 transposed
   * convolution first).
   */
  resample?: Resample;
  /** An activation name, or an {@link Activation} (a leaky ReLU's slope, say); default 'relu'. */
  activation?: ActivationName | Activation;
  /** Seed of the initial weights; random if omitted. */
  seed?: number;
}

/**
 * A pre-activation residual block (He et al. 2016) on images [batch, h, w, c]:
 * y = skip(x) + conv2(act(conv1(act(x)))), 3x3 convolutions with 'same'
 * padding. With `resample: 'down'` conv1 has stride 2 and the skip path is a
 * 2x2 stride-2 convolution ([h, w] -> [h/2, w/2]); with `'up'` conv1 is a 4x4
 * stride-2 transposed convolution and the skip path a 2x2 stride-2 transposed
 * convolution ([h, w] -> [2h, 2w]); without resampling the skip path is the
 * identity when the channels agree, else a 1x1 convolution. Children:
 * `activation` (no parameters), `conv1`, `conv2` and `skip` (when it has weights).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ResidualBlock } from '@vae/nn';
 * const down = new ResidualBlock({ inChannels: 1, outChannels: 8, resample: 'down', seed: 1 });
 * const y = down.apply(tf.zeros([2, 28, 28, 1])); // [2, 14, 14, 8]
 * console.log(y.shape);
 * y.dispose();
 * down.dispose();
 * ```
 */
export class ResidualBlock extends Module {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'ResidualBlock';
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** Whether the block halves, doubles or keeps the spatial size. */
  readonly resample: Resample;
  /** The activation between and after the convolutions. */
  readonly activation: Activation;
  /** The first convolution (resampling, if any). */
  readonly conv1: Conv2d | ConvTranspose2d;
  /** The second convolution. */
  readonly conv2: Conv2d;
  /** The 1x1 projection of the skip path, when shapes differ. */
  readonly skip: Conv2d | ConvTranspose2d | undefined;

  /**
   * A residual convolution block, optionally resampling.
   *
   * @param options - Channels, resampling and activation; see {@link ResidualBlockOptions}.
   */
  constructor(options: ResidualBlockOptions) {
    super();
    const { inChannels, outChannels, resample = 'none', activation = 'relu' } = options;
    ensureArgument(
      RESAMPLES.includes(resample),
      () =>
        `ResidualBlock: \`resample\` must be 'none', 'down' or 'up', got ${JSON.stringify(resample)}`,
    );
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.resample = resample;
    this.activation = this.addModule(
      'activation',
      activation instanceof Activation ? activation : new Activation(activation),
    );
    const seed = options.seed ?? randomSeed();
    const channels = { inChannels, outChannels, seed: deriveSeed(seed, 0), init: heUniform };
    this.conv1 = this.addModule(
      'conv1',
      resample === 'up'
        ? new ConvTranspose2d({ ...channels, kernelSize: 4, stride: 2 })
        : new Conv2d({ ...channels, kernelSize: 3, stride: resample === 'down' ? 2 : 1 }),
    );
    this.conv2 = this.addModule(
      'conv2',
      new Conv2d({
        inChannels: outChannels,
        outChannels,
        kernelSize: 3,
        seed: deriveSeed(seed, 1),
      }),
    );
    const skip = { inChannels, outChannels, seed: deriveSeed(seed, 2) };
    const identity = resample === 'none' && inChannels === outChannels;
    this.skip = identity
      ? undefined
      : this.addModule(
          'skip',
          resample === 'up'
            ? new ConvTranspose2d({ ...skip, kernelSize: 2, stride: 2 })
            : new Conv2d({
                ...skip,
                kernelSize: resample === 'down' ? 2 : 1,
                stride: resample === 'down' ? 2 : 1,
              }),
        );
  }

  override getConfig(): ModuleConfig {
    return {
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      resample: this.resample,
      activation: this.activation.spec(),
    };
  }

  /** Rebuilds the block from {@link ResidualBlock.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): ResidualBlock {
    const read = context.read(config, 'ResidualBlock');
    return new ResidualBlock({
      inChannels: read.positiveInteger('inChannels'),
      outChannels: read.positiveInteger('outChannels'),
      resample: read.choice('resample', RESAMPLES),
      activation: context.build(read.value('activation'), 'ResidualBlock.activation', Activation),
      seed: 0,
    });
  }

  /** x [batch, h, w, inChannels] -> [batch, h', w', outChannels] (h' = h/2, h or 2h). */
  call(x: tf.Tensor): tf.Tensor {
    ensureArgument(
      x.rank === 4 && x.shape[3] === this.inChannels,
      () =>
        `ResidualBlock: input must be [batch, h, w, ${this.inChannels}], got a tensor of shape ${formatShape(x.shape)}`,
    );
    const act = this.activation;
    const h = this.conv2.call(act.call(this.conv1.call(act.call(x))));
    return tf.add(this.skip === undefined ? x : this.skip.call(x), h);
  }
}
