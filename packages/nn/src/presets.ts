import { ensureArgument } from '@vae/divergence';
import { Activation, type ActivationName } from './activation.js';
import { AutoregressiveBernoulliDecoder } from './autoregressive-bernoulli-decoder.js';
import { BernoulliDecoder } from './bernoulli-decoder.js';
import { ContinuousBernoulliDecoder } from './continuous-bernoulli-decoder.js';
import { ConvTranspose2d } from './conv-transpose2d.js';
import { Conv2d } from './conv2d.js';
import type { Decoder } from './decoder.js';
import { DiagonalGaussianPrior } from './diagonal-gaussian-prior.js';
import { presetFlowPrior, presetPosterior } from './flows/flow-presets.js';
import { MADE } from './flows/made.js';
import { GaussianDecoder } from './gaussian-decoder.js';
import { GaussianEncoder } from './gaussian-encoder.js';
import { heUniform } from './initializers.js';
import type {
  ConvPresetConfig,
  DecoderChoice,
  Likelihood,
  MlpPresetConfig,
  PosteriorChoice,
  PresetConfig,
  PriorChoice,
} from './internal/preset-config.js';
import { deriveSeed, randomSeed } from './internal/seed.js';
import { Linear } from './linear.js';
import { MixtureOfGaussiansPrior } from './mixture-of-gaussians-prior.js';
import type { Module } from './module.js';
import type { Prior } from './prior.js';
import { Flatten, Reshape } from './reshape.js';
import { Sequential } from './sequential.js';
import { StandardNormalPrior } from './standard-normal-prior.js';
import { VAE } from './vae.js';
import { VampPrior } from './vamp-prior.js';

/** Options of {@link mlpVAE}; every field but `seed` is recorded in `config`. */
export interface MlpVaeOptions {
  /** Default [784]. */
  inputShape?: number[];
  /** Default [400]. */
  hidden?: number[];
  /** Default 20. */
  latentDim?: number;
  /** Default 'bernoulli'. */
  likelihood?: Likelihood;
  /** Default 'relu'. */
  activation?: ActivationName;
  /** Gaussian likelihood: 'learned' (default) or a fixed variance. */
  variance?: 'learned' | number;
  /** The prior p(z); default 'standard-normal' (N(0, I)). */
  prior?: PriorChoice;
  /** The posterior q(z | x); default 'gaussian' ({ kind: 'iaf', layers } adds an IAF). */
  posterior?: PosteriorChoice;
  /**
   * p(x | z)'s network: 'factorized' (default, mirroring the encoder) or
   * `{ kind: 'autoregressive', hidden }`, a MADE over the values conditioned on z
   * (Bernoulli likelihood only; see {@link autoregressiveVAE}).
   */
  decoder?: DecoderChoice;
  /** Seed of every initial weight; random if omitted. */
  seed?: number;
}

/** Options of {@link convVAE}. */
export interface ConvVaeOptions {
  /** Default [28, 28, 1]. */
  inputShape?: [number, number, number];
  /** Default [32, 64]. */
  channels?: number[];
  /** Default 256. */
  hidden?: number;
  /** Default 16. */
  latentDim?: number;
  /** p(x | z): `'bernoulli'` (default), `'gaussian'` or `'continuous-bernoulli'`. */
  likelihood?: Likelihood;
  /** The hidden layers' activation (default `'relu'`). */
  activation?: ActivationName;
  /** The Gaussian likelihood's variance: `'learned'` (default) or a fixed number. */
  variance?: 'learned' | number;
  /** The prior p(z); default 'standard-normal' (N(0, I)). */
  prior?: PriorChoice;
  /** The posterior q(z | x); default 'gaussian' ({ kind: 'iaf', layers } adds an IAF). */
  posterior?: PosteriorChoice;
  /** Seed of the initial weights; random if omitted. */
  seed?: number;
}

export function priorFor(
  config: Pick<PresetConfig, 'latentDim' | 'prior' | 'inputShape'>,
  seed: number,
): Prior {
  const { latentDim, prior } = config;
  if (prior === 'standard-normal') return new StandardNormalPrior({ latentDim });
  if (prior === 'diagonal') return new DiagonalGaussianPrior({ latentDim });
  ensureArgument(
    typeof prior === 'object' && prior !== null,
    () =>
      `VAE preset: \`prior\` must be 'standard-normal', 'diagonal', { kind: 'mixture', components }, { kind: 'vamp', components } or { kind: 'flow', layers }, got ${JSON.stringify(prior)}`,
  );
  if (prior.kind === 'flow') return presetFlowPrior(latentDim, prior, seed);
  if (prior.kind === 'mixture') {
    return new MixtureOfGaussiansPrior({ latentDim, components: prior.components, seed });
  }
  return new VampPrior({
    latentDim,
    components: prior.components,
    dataShape: config.inputShape,
    seed,
  });
}

function usesVamp(config: PresetConfig): boolean {
  return typeof config.prior === 'object' && config.prior.kind === 'vamp';
}

export function decoderFor(
  config: Pick<PresetConfig, 'inputShape' | 'likelihood' | 'variance'>,
  body: Module,
): Decoder {
  const eventShape = config.inputShape;
  switch (config.likelihood) {
    case 'bernoulli':
      return new BernoulliDecoder({ body, eventShape });
    case 'continuous-bernoulli':
      return new ContinuousBernoulliDecoder({ body, eventShape });
    case 'gaussian':
      return new GaussianDecoder({ body, eventShape, variance: config.variance ?? 'learned' });
  }
}

function checkCommon(fn: string, config: PresetConfig): void {
  const sizes = [...config.inputShape, config.latentDim];
  ensureArgument(
    sizes.every((d) => Number.isInteger(d) && d > 0),
    () =>
      `${fn}: \`inputShape\` and \`latentDim\` must be positive integers, got [${config.inputShape}] and ${config.latentDim}`,
  );
  ensureArgument(
    ['bernoulli', 'gaussian', 'continuous-bernoulli'].includes(config.likelihood),
    () =>
      `${fn}: \`likelihood\` must be 'bernoulli', 'gaussian' or 'continuous-bernoulli', got '${config.likelihood}'`,
  );
}

export function buildMlp(config: MlpPresetConfig, seed: number): VAE {
  checkCommon('mlpVAE', config);
  ensureArgument(
    typeof config.decoder !== 'object' || config.likelihood === 'bernoulli',
    () =>
      `mlpVAE: the autoregressive decoder models binary data (likelihood 'bernoulli'), got '${config.likelihood}'`,
  );
  const inFeatures = config.inputShape.reduce((a, b) => a * b, 1);
  let next = 0;
  const dense = (from: number, to: number, first = false) =>
    new Linear({
      inFeatures: from,
      outFeatures: to,
      seed: deriveSeed(seed, next++),
      ...(config.activation === 'relu' || config.activation === 'leakyRelu'
        ? { init: heUniform }
        : {}),
      // A first layer fed with data skips its input gradient, unless a VampPrior's
      // pseudo-inputs learn through it.
      ...(first && !usesVamp(config) ? { inputGradient: false } : {}),
    });
  const act = () => new Activation(config.activation);
  const encoderLayers: Module[] = config.inputShape.length > 1 ? [new Flatten()] : [];
  let width = inFeatures;
  for (const [i, h] of config.hidden.entries()) {
    encoderLayers.push(dense(width, h, i === 0), act());
    width = h;
  }
  const encoder = presetPosterior(
    new GaussianEncoder({
      body: new Sequential(encoderLayers),
      features: width,
      latentDim: config.latentDim,
      seed: deriveSeed(seed, 1000),
    }),
    config.posterior,
    deriveSeed(seed, 3000),
  );
  if (typeof config.decoder === 'object') {
    return new VAE({
      encoder,
      decoder: autoregressiveDecoder(config, config.decoder, deriveSeed(seed, 4000)),
      prior: priorFor(config, deriveSeed(seed, 2000)),
    });
  }
  const decoderLayers: Module[] = [];
  width = config.latentDim;
  for (const h of [...config.hidden].reverse()) {
    decoderLayers.push(dense(width, h), act());
    width = h;
  }
  decoderLayers.push(dense(width, inFeatures));
  return new VAE({
    encoder,
    decoder: decoderFor(config, new Sequential(decoderLayers)),
    prior: priorFor(config, deriveSeed(seed, 2000)),
  });
}

/** The MLP preset's autoregressive decoder: a MADE over the values with z as its context. */
function autoregressiveDecoder(
  config: MlpPresetConfig,
  choice: Exclude<DecoderChoice, 'factorized'>,
  seed: number,
): Decoder {
  const hidden = [...(choice.hidden ?? [...config.hidden].reverse())];
  return new AutoregressiveBernoulliDecoder({
    body: new Sequential([]),
    made: new MADE({
      features: config.inputShape.reduce((a, b) => a * b, 1),
      hidden,
      outputsPerFeature: 1,
      contextFeatures: config.latentDim,
      activation: config.activation,
      seed,
    }),
    eventShape: config.inputShape,
  });
}

export function buildConv(config: ConvPresetConfig, seed: number): VAE {
  checkCommon('convVAE', config);
  const [height, width, inChannels] = config.inputShape;
  const factor = 2 ** config.channels.length;
  ensureArgument(
    height % factor === 0 && width % factor === 0,
    () =>
      `convVAE: height and width must be divisible by ${factor} for ${config.channels.length} stride-2 layers, got [${config.inputShape}]`,
  );
  let next = 0;
  const s = () => deriveSeed(seed, next++);
  const act = () => new Activation(config.activation);
  const encoderLayers: Module[] = [];
  let c = inChannels;
  for (const out of config.channels) {
    encoderLayers.push(
      new Conv2d({ inChannels: c, outChannels: out, kernelSize: 4, stride: 2, seed: s() }),
      act(),
    );
    c = out;
  }
  const [h0, w0] = [height / factor, width / factor];
  const flat = h0 * w0 * c;
  encoderLayers.push(
    new Flatten(),
    new Linear({ inFeatures: flat, outFeatures: config.hidden, seed: s() }),
    act(),
  );
  const encoder = presetPosterior(
    new GaussianEncoder({
      body: new Sequential(encoderLayers),
      features: config.hidden,
      latentDim: config.latentDim,
      seed: s(),
    }),
    config.posterior,
    deriveSeed(seed, 3000),
  );
  const decoderLayers: Module[] = [
    new Linear({ inFeatures: config.latentDim, outFeatures: config.hidden, seed: s() }),
    act(),
    new Linear({ inFeatures: config.hidden, outFeatures: flat, seed: s() }),
    act(),
    new Reshape([h0, w0, c]),
  ];
  const outs = [...config.channels].reverse().slice(1).concat(inChannels);
  for (const [i, out] of outs.entries()) {
    decoderLayers.push(
      new ConvTranspose2d({ inChannels: c, outChannels: out, kernelSize: 4, stride: 2, seed: s() }),
    );
    if (i < outs.length - 1) decoderLayers.push(act());
    c = out;
  }
  return new VAE({
    encoder,
    decoder: decoderFor(config, new Sequential(decoderLayers)),
    prior: priorFor(config, deriveSeed(seed, 2000)),
  });
}

/**
 * The classic fully connected VAE (Kingma & Welling 2014): x [batch, ...inputShape]
 * -> hidden layers -> 2 x latentDim heads; the decoder mirrors the encoder.
 *
 * @param options - The architecture; every field has a default, see {@link MlpVaeOptions}.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { mlpVAE } from '@vae/nn';
 * const model = mlpVAE({ inputShape: [784], hidden: [400], latentDim: 20, likelihood: 'bernoulli', seed: 1 });
 * ```
 */
export function mlpVAE(options: MlpVaeOptions = {}): VAE {
  const config: MlpPresetConfig = {
    kind: 'mlp',
    inputShape: [...(options.inputShape ?? [784])],
    hidden: [...(options.hidden ?? [400])],
    latentDim: options.latentDim ?? 20,
    likelihood: options.likelihood ?? 'bernoulli',
    activation: options.activation ?? 'relu',
    ...(options.likelihood === 'gaussian' ? { variance: options.variance ?? 'learned' } : {}),
    prior: options.prior ?? 'standard-normal',
    posterior: options.posterior ?? 'gaussian',
    ...(options.decoder === undefined || options.decoder === 'factorized'
      ? {}
      : { decoder: options.decoder }),
  };
  return buildMlp(config, options.seed ?? randomSeed());
}

/** Options of {@link autoregressiveVAE}: {@link MlpVaeOptions} but the likelihood (Bernoulli) and the decoder. */
export type AutoregressiveVaeOptions = Omit<
  MlpVaeOptions,
  'likelihood' | 'variance' | 'decoder'
> & {
  /** The MADE's hidden widths (default: the encoder's `hidden`, reversed). */
  decoderHidden?: number[];
};

/**
 * A VAE for binary data whose decoder is autoregressive: the MLP encoder of
 * {@link mlpVAE} and p(x | z) = prod_i Bernoulli(x_i; sigmoid(l_i(x_<i, z))), the
 * logits from a MADE (Germain et al. 2015) over the values in raster order that reads
 * z as its context (an {@link AutoregressiveBernoulliDecoder}). The decoder models
 * what z leaves out (strokes that continue, pixels next to pixels), so the
 * likelihood of binarized digits goes well past a factorized decoder's; training
 * costs one pass of the MADE, drawing an image one pass per pixel.
 *
 * @param options - The architecture; every field has a default (hidden [400], 20 latents), see {@link AutoregressiveVaeOptions}.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { autoregressiveVAE } from '@vae/nn';
 * const model = autoregressiveVAE({ inputShape: [16], hidden: [32], latentDim: 4, seed: 1 });
 * const x = tf.round(tf.randomUniform([2, 16], 0, 1, 'float32', 2));
 * const p = model.decode(model.encoder.code(x)); // p(x | z), one MADE pass per logProb
 * console.log(p.logProb(x).shape); // -> [ 2 ]
 * ```
 */
export function autoregressiveVAE(options: AutoregressiveVaeOptions = {}): VAE {
  const { decoderHidden, ...rest } = options;
  return mlpVAE({
    ...rest,
    decoder: {
      kind: 'autoregressive',
      ...(decoderHidden === undefined ? {} : { hidden: decoderHidden }),
    },
  });
}

/**
 * A convolutional VAE for images [batch, h, w, c]: stride-2 4x4 convolutions,
 * a dense layer, the latent heads; the decoder mirrors it with transposed convolutions.
 * Train it with a learning-rate warm-up (a few hundred steps rising from 0, e.g.
 * `cosineDecay`'s `warmupSteps` in `@vae/trainer`): with Adam at 4e-3 from the first
 * step its posterior collapsed (KL 0) for 2 of 3 seeds on binarized MNIST.
 *
 * @param options - The architecture; every field has a default, see {@link ConvVaeOptions}.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { convVAE } from '@vae/nn';
 * const model = convVAE({ inputShape: [28, 28, 1], channels: [32, 64], latentDim: 16, seed: 1 });
 * ```
 */
export function convVAE(options: ConvVaeOptions = {}): VAE {
  const inputShape = options.inputShape ?? [28, 28, 1];
  const config: ConvPresetConfig = {
    kind: 'conv',
    inputShape: [inputShape[0], inputShape[1], inputShape[2]],
    channels: [...(options.channels ?? [32, 64])],
    hidden: options.hidden ?? 256,
    latentDim: options.latentDim ?? 16,
    likelihood: options.likelihood ?? 'bernoulli',
    activation: options.activation ?? 'relu',
    ...(options.likelihood === 'gaussian' ? { variance: options.variance ?? 'learned' } : {}),
    prior: options.prior ?? 'standard-normal',
    posterior: options.posterior ?? 'gaussian',
  };
  return buildConv(config, options.seed ?? randomSeed());
}
