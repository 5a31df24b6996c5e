import { ensureArgument } from '@vae/divergence';
import { Activation, type ActivationName } from './activation.js';
import { Conv2d } from './conv2d.js';
import { GaussianEncoder } from './gaussian-encoder.js';
import type { Likelihood, PriorChoice } from './internal/preset-config.js';
import { deriveSeed, randomSeed } from './internal/seed.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { decoderFor, priorFor } from './presets.js';
import { Flatten, Reshape } from './reshape.js';
import { ResidualBlock } from './residual-block.js';
import { Sequential } from './sequential.js';
import { VAE } from './vae.js';

/**
 * Options of {@link residualConvVAE}; every field is optional.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { ResidualConvVaeOptions } from '@vae/nn';
 * const options: ResidualConvVaeOptions = { channels: [16, 32], blocks: 1, latentDim: 32, seed: 1 };
 * ```
 */
export interface ResidualConvVaeOptions {
  /** [height, width, channels] of one image; default [28, 28, 1]. Height and width must be divisible by 2^stages. */
  inputShape?: [number, number, number];
  /** Channels of each stage (each halves height and width); default [16, 32]. */
  channels?: number[];
  /** Residual blocks without resampling after each resampling block; default 1. */
  blocks?: number;
  /** Width of the dense layer between the convolutions and the latent heads; default 256. */
  hidden?: number;
  /** Default 32. */
  latentDim?: number;
  /** Default 'elu'. */
  activation?: ActivationName;
  /** Default 'bernoulli'. */
  likelihood?: Likelihood;
  /** Gaussian likelihood: 'learned' (default) or a fixed variance. */
  variance?: 'learned' | number;
  /** The prior p(z); default 'standard-normal'. */
  prior?: PriorChoice;
  /** Seed of every initial weight; random if omitted (seed 0 is a seed). */
  seed?: number;
}

interface Resolved {
  inputShape: [number, number, number];
  channels: number[];
  blocks: number;
  hidden: number;
  latentDim: number;
  activation: ActivationName;
}

function resolve(options: ResidualConvVaeOptions): Resolved {
  const [height, width, depth] = options.inputShape ?? [28, 28, 1];
  const resolved: Resolved = {
    inputShape: [height, width, depth],
    channels: [...(options.channels ?? [16, 32])],
    blocks: options.blocks ?? 1,
    hidden: options.hidden ?? 256,
    latentDim: options.latentDim ?? 32,
    activation: options.activation ?? 'elu',
  };
  const sizes = [...resolved.inputShape, ...resolved.channels, resolved.hidden, resolved.latentDim];
  ensureArgument(
    resolved.channels.length > 0 && sizes.every((d) => Number.isInteger(d) && d > 0),
    () =>
      `residualConvVAE: \`inputShape\`, \`channels\` (non-empty), \`hidden\` and \`latentDim\` must hold positive integers, got ${JSON.stringify(options)}`,
  );
  ensureArgument(
    Number.isInteger(resolved.blocks) && resolved.blocks >= 0,
    () => `residualConvVAE: \`blocks\` must be an integer >= 0, got ${resolved.blocks}`,
  );
  const factor = 2 ** resolved.channels.length;
  ensureArgument(
    height % factor === 0 && width % factor === 0,
    () =>
      `residualConvVAE: height and width must be divisible by ${factor} for ${resolved.channels.length} stages, got [${resolved.inputShape}]`,
  );
  return resolved;
}

/**
 * A convolutional VAE of residual blocks for images [batch, h, w, c] (28x28x1
 * binarized MNIST by default). Encoder: a 3x3 convolution, then per stage a
 * {@link ResidualBlock} that halves height and width followed by `blocks`
 * blocks at that size, a dense layer of `hidden` units and the Gaussian heads.
 * Decoder: the mirror image, with blocks that double height and width, and a
 * final 3x3 convolution to the likelihood's parameters. Any `prior` (N(0, I),
 * diagonal, mixture, VampPrior). Saved and loaded like any `VAE`.
 *
 * @param options - The architecture; every field has a default, see {@link ResidualConvVaeOptions}.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { residualConvVAE } from '@vae/nn';
 * const model = residualConvVAE({ channels: [8, 16], latentDim: 16, seed: 1 });
 * const q = model.encode(tf.zeros([2, 28, 28, 1])); // batch [2], event [16]
 * const images = model.sample(2, { seed: 2 }); // [2, 28, 28, 1]
 * console.log(images.shape);
 * q.dispose();
 * images.dispose();
 * model.dispose();
 * ```
 */
export function residualConvVAE(options: ResidualConvVaeOptions = {}): VAE {
  const config = resolve(options);
  const seed = options.seed ?? randomSeed();
  const { inputShape, channels, blocks, hidden, latentDim, activation } = config;
  const [height, width, depth] = inputShape;
  let next = 0;
  const s = () => deriveSeed(seed, next++);
  const act = () => new Activation(activation);
  const block = (inChannels: number, outChannels: number, resample: 'none' | 'down' | 'up') =>
    new ResidualBlock({ inChannels, outChannels, resample, activation, seed: s() });
  const same = (c: number) => Array.from({ length: blocks }, () => block(c, c, 'none'));

  const encoderLayers: Module[] = [
    new Conv2d({ inChannels: depth, outChannels: channels[0]!, kernelSize: 3, seed: s() }),
  ];
  let c = channels[0]!;
  for (const out of channels) {
    encoderLayers.push(block(c, out, 'down'), ...same(out));
    c = out;
  }
  const factor = 2 ** channels.length;
  const inner = [height / factor, width / factor, c];
  const flat = inner[0]! * inner[1]! * c;
  encoderLayers.push(
    act(),
    new Flatten(),
    new Linear({ inFeatures: flat, outFeatures: hidden, seed: s() }),
    act(),
  );
  const encoder = new GaussianEncoder({
    body: new Sequential(encoderLayers),
    features: hidden,
    latentDim,
    seed: s(),
  });

  const decoderLayers: Module[] = [
    new Linear({ inFeatures: latentDim, outFeatures: hidden, seed: s() }),
    act(),
    new Linear({ inFeatures: hidden, outFeatures: flat, seed: s() }),
    new Reshape(inner),
  ];
  for (let i = channels.length - 1; i >= 0; i--) {
    const out = channels[i - 1] ?? channels[0]!;
    decoderLayers.push(...same(c), block(c, out, 'up'));
    c = out;
  }
  decoderLayers.push(
    act(),
    new Conv2d({ inChannels: c, outChannels: depth, kernelSize: 3, seed: s() }),
  );
  const decoder = decoderFor(
    {
      inputShape,
      likelihood: options.likelihood ?? 'bernoulli',
      ...(options.likelihood === 'gaussian' ? { variance: options.variance ?? 'learned' } : {}),
    },
    new Sequential(decoderLayers),
  );
  const prior = priorFor(
    { latentDim, prior: options.prior ?? 'standard-normal', inputShape },
    deriveSeed(seed, 2000),
  );
  return new VAE({ encoder, decoder, prior });
}
