// The model behind the CLI, built from a run config with the public modules of
// @vae/nn: the MLP preset (`mlpVAE`, the classic 784-400-20 on MNIST), the
// CLI's conv preset for images of any size, the library's two-stochastic-layer
// `hierarchicalVAE` and residual `residualConvVAE`, with a Bernoulli, Gaussian or
// (mlp and conv) discretized-logistic-mixture likelihood and any of the priors.

import { deriveSeed } from '@vae/divergence';
import {
  Activation,
  autoregressiveVAE,
  BernoulliDecoder,
  Conv2d,
  ConvTranspose2d,
  type Decoder,
  DiagonalGaussianPrior,
  DiscretizedLogisticMixtureDecoder,
  Flatten,
  GaussianDecoder,
  GaussianEncoder,
  heUniform,
  hierarchicalVAE,
  Linear,
  MixtureOfGaussiansPrior,
  type Module,
  mlpVAE,
  type Prior,
  type PriorChoice,
  Reshape,
  residualConvVAE,
  Sequential,
  StandardNormalPrior,
  VAE,
  VampPrior,
} from '@vae/nn';
import {
  CONV_DENSE,
  convStages,
  DEFAULT_CHANNELS,
  DEFAULT_FLOW_LAYERS,
  DEFAULT_HIDDEN,
  DEFAULT_RESNET_CHANNELS,
  decoderOutputs,
  hierarchicalLevels,
  MAX_MODEL_PARAMETERS,
  outputsPerPosition,
  parameterCount,
  RESNET_BLOCKS,
  RESNET_DENSE,
} from './architecture.js';
import { CliError } from './errors.js';
import { count } from './format.js';
import { posteriorFor, posteriorOf } from './posterior.js';
import type { RunConfig } from './run-config.js';

/** The prior a run config names. */
export function priorOf(config: RunConfig): PriorChoice {
  const components = config.priorComponents ?? 50;
  if (config.prior === 'mixture' || config.prior === 'vamp') {
    return { kind: config.prior, components };
  }
  return config.prior;
}

function priorFor(config: RunConfig, seed: number): Prior {
  const latentDim = config.latent;
  const components = config.priorComponents ?? 50;
  switch (config.prior) {
    case 'standard-normal':
      return new StandardNormalPrior({ latentDim });
    case 'diagonal':
      return new DiagonalGaussianPrior({ latentDim });
    case 'mixture':
      return new MixtureOfGaussiansPrior({ latentDim, components, seed });
    case 'vamp':
      return new VampPrior({ latentDim, components, dataShape: config.itemShape, seed });
  }
}

function decoderFor(config: RunConfig, body: Module): Decoder {
  const eventShape = config.itemShape;
  switch (config.likelihood) {
    case 'bernoulli':
      return new BernoulliDecoder({ body, eventShape });
    case 'gaussian':
      return new GaussianDecoder({ body, eventShape, variance: 'learned' });
    case 'logistic-mixture':
      return new DiscretizedLogisticMixtureDecoder({
        body,
        eventShape,
        components: config.components ?? 5,
        ...(config.coupled === true ? { coupled: true } : {}),
      });
  }
}

/** A seeded counter of layer seeds. */
function seeds(seed: number): () => number {
  let next = 0;
  return () => deriveSeed(seed, next++);
}

function mlp(config: RunConfig): VAE {
  const seed = seeds(config.seed);
  const values = config.itemShape.reduce((a, b) => a * b, 1);
  const widths = config.hidden ?? DEFAULT_HIDDEN;
  const vamp = config.prior === 'vamp';
  const encoderLayers: Module[] = config.itemShape.length > 1 ? [new Flatten()] : [];
  let width = values;
  for (const [i, h] of widths.entries()) {
    const first = i === 0 && !vamp ? { inputGradient: false } : {};
    encoderLayers.push(
      new Linear({ inFeatures: width, outFeatures: h, seed: seed(), init: heUniform, ...first }),
      new Activation('relu'),
    );
    width = h;
  }
  const encoder = new GaussianEncoder({
    body: new Sequential(encoderLayers),
    features: width,
    latentDim: config.latent,
    seed: seed(),
  });
  const decoderLayers: Module[] = [];
  width = config.latent;
  for (const h of [...widths].reverse()) {
    decoderLayers.push(
      new Linear({ inFeatures: width, outFeatures: h, seed: seed(), init: heUniform }),
      new Activation('relu'),
    );
    width = h;
  }
  decoderLayers.push(
    new Linear({ inFeatures: width, outFeatures: decoderOutputs(config), seed: seed() }),
  );
  return new VAE({
    encoder: posteriorFor(config, encoder),
    decoder: decoderFor(config, new Sequential(decoderLayers)),
    prior: priorFor(config, seed()),
  });
}

function conv(config: RunConfig): VAE {
  const seed = seeds(config.seed);
  const stages = convStages(config.itemShape, config.channels ?? DEFAULT_CHANNELS);
  const [height, width, channels] = config.itemShape as [number, number, number];
  const relu = () => new Activation('relu');
  const encoderLayers: Module[] = [];
  for (const stage of stages) {
    encoderLayers.push(
      new Conv2d({
        inChannels: stage.inChannels,
        outChannels: stage.outChannels,
        kernelSize: stage.kernel,
        stride: 2,
        padding: stage.padding,
        seed: seed(),
      }),
      relu(),
    );
  }
  const end = stages.at(-1);
  const inner: [number, number, number] =
    end === undefined ? [height, width, channels] : [end.output[0], end.output[1], end.outChannels];
  const flat = inner[0] * inner[1] * inner[2];
  encoderLayers.push(
    new Flatten(),
    new Linear({ inFeatures: flat, outFeatures: CONV_DENSE, seed: seed() }),
    relu(),
  );
  const encoder = new GaussianEncoder({
    body: new Sequential(encoderLayers),
    features: CONV_DENSE,
    latentDim: config.latent,
    seed: seed(),
  });
  const decoderLayers: Module[] = [
    new Linear({ inFeatures: config.latent, outFeatures: CONV_DENSE, seed: seed() }),
    relu(),
  ];
  if (end === undefined) {
    decoderLayers.push(
      new Linear({ inFeatures: CONV_DENSE, outFeatures: decoderOutputs(config), seed: seed() }),
    );
  } else {
    decoderLayers.push(
      new Linear({ inFeatures: CONV_DENSE, outFeatures: flat, seed: seed() }),
      relu(),
      new Reshape(inner),
    );
    for (const [i, stage] of [...stages].reverse().entries()) {
      const last = i === stages.length - 1;
      decoderLayers.push(
        new ConvTranspose2d({
          inChannels: stage.outChannels,
          outChannels: last ? outputsPerPosition(config, stage.inChannels) : stage.inChannels,
          kernelSize: stage.kernel,
          stride: 2,
          padding: stage.padding,
          seed: seed(),
        }),
      );
      if (!last) decoderLayers.push(relu());
    }
  }
  return new VAE({
    encoder: posteriorFor(config, encoder),
    decoder: decoderFor(config, new Sequential(decoderLayers)),
    prior: priorFor(config, seed()),
  });
}

/**
 * Builds the run's architecture with its seeded initial weights. The size is
 * checked from the config first: a config asking for more than
 * {@link MAX_MODEL_PARAMETERS} parameters is a one-line error, not an allocation.
 */
export function buildModel(config: RunConfig, where = 'config.json'): VAE {
  const parameters = parameterCount(config);
  if (!(parameters <= MAX_MODEL_PARAMETERS)) {
    throw new CliError(
      `${where}: the model would have ${count(parameters)} parameters; the most vae trains is ${count(MAX_MODEL_PARAMETERS)}`,
    );
  }
  if (config.likelihood !== 'logistic-mixture' && config.preset === 'hierarchical') {
    const { hidden, latents } = hierarchicalLevels(config);
    return hierarchicalVAE({
      inputShape: [...config.itemShape],
      hidden,
      latentDims: latents,
      likelihood: config.likelihood,
      seed: config.seed,
      prior: priorOf(config),
    });
  }
  if (config.likelihood !== 'logistic-mixture' && config.preset === 'resnet') {
    return residualConvVAE({
      inputShape: config.itemShape as [number, number, number],
      channels: [...(config.channels ?? DEFAULT_RESNET_CHANNELS)],
      blocks: RESNET_BLOCKS,
      hidden: RESNET_DENSE,
      latentDim: config.latent,
      likelihood: config.likelihood,
      seed: config.seed,
      prior: priorOf(config),
    });
  }
  if (config.preset === 'hierarchical' || config.preset === 'resnet') {
    // checkRunConfig rejects these; a config that skipped it gets the same words.
    throw new CliError(
      `${where}: the ${config.preset} preset has no logistic-mixture likelihood (use bernoulli or gaussian)`,
    );
  }
  if (config.preset === 'autoregressive') {
    // checkRunConfig keeps this preset to the Bernoulli likelihood; @vae/nn says so too.
    return autoregressiveVAE({
      inputShape: [...config.itemShape],
      hidden: [...(config.hidden ?? DEFAULT_HIDDEN)],
      latentDim: config.latent,
      seed: config.seed,
      prior: priorOf(config),
      posterior: posteriorOf(config),
    });
  }
  if (config.preset === 'mlp' && config.likelihood !== 'logistic-mixture') {
    // The @vae/nn preset: the same weights as every earlier release for the same seed.
    return mlpVAE({
      inputShape: [...config.itemShape],
      hidden: [...(config.hidden ?? DEFAULT_HIDDEN)],
      latentDim: config.latent,
      likelihood: config.likelihood,
      seed: config.seed,
      prior: priorOf(config),
      posterior: posteriorOf(config),
    });
  }
  return config.preset === 'mlp' ? mlp(config) : conv(config);
}

function describeBody(config: RunConfig, values: number): string {
  switch (config.preset) {
    case 'mlp':
      return `mlp ${[values, ...(config.hidden ?? DEFAULT_HIDDEN), config.latent].join('-')}`;
    case 'autoregressive': {
      const widths = config.hidden ?? DEFAULT_HIDDEN;
      return `autoregressive: mlp encoder ${[values, ...widths, config.latent].join('-')}, MADE decoder ${[values, ...[...widths].reverse(), values].join('-')} reading z`;
    }
    case 'conv':
      return `conv ${config.itemShape.join('x')} -> ${(config.channels ?? DEFAULT_CHANNELS).join(',')} channels -> ${config.latent} latents`;
    case 'hierarchical': {
      const { hidden, latents } = hierarchicalLevels(config);
      return `hierarchical ${[values, ...hidden[0], latents[0]].join('-')} and ${[latents[0], ...hidden[1], latents[1]].join('-')}`;
    }
    case 'resnet':
      return `resnet ${config.itemShape.join('x')} -> ${(config.channels ?? DEFAULT_RESNET_CHANNELS).join(',')} channels, ${RESNET_BLOCKS} residual block per stage -> ${config.latent} latents`;
  }
}

/** "mlp 784-400-20, Bernoulli" for the setup line. */
export function describeModel(config: RunConfig, parameters: number): string {
  const likelihood =
    config.likelihood === 'logistic-mixture'
      ? `mixture of ${config.components ?? 5} discretized logistics${config.coupled === true ? ' (colour channels coupled)' : ''}`
      : config.likelihood === 'gaussian'
        ? 'Gaussian (learned variance)'
        : 'Bernoulli';
  const values = config.itemShape.reduce((a, b) => a * b, 1);
  const body = describeBody(config, values);
  const prior = config.prior === 'standard-normal' ? '' : `, ${config.prior} prior`;
  const posterior =
    config.posterior === 'iaf'
      ? `, IAF posterior (${config.flowLayers ?? DEFAULT_FLOW_LAYERS} layers)`
      : '';
  return `${body}, ${likelihood}${posterior}${prior}, ${count(parameters)} parameters`;
}
