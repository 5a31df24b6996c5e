// What a page model is made of, as plain data both threads share: the
// architecture choices the controls offer, the two presets, and a one-line
// description read from a model's architecture JSON (so it also describes
// models loaded from files, whatever built them).

/** The prior p(z), as the controls name it. */
export type PriorName = 'standard-normal' | 'diagonal' | 'mixture' | 'vamp';
/** The decoder's likelihood p(x | z). */
export type LikelihoodName = 'bernoulli' | 'continuous-bernoulli' | 'gaussian';

/** An MLP VAE the page can build (`mlpVAE` options), for data of shape `dataShape`. */
export interface ModelConfig {
  dataShape: number[];
  hidden: number[];
  latentDim: number;
  prior: PriorName;
  likelihood: LikelihoodName;
  /** Seed of the initial weights and of every training run of this model. */
  seed: number;
}

/** The presets of the Model select (MNIST digits, Bernoulli decoder, N(0, I) prior). */
export const PRESETS = {
  'mlp-2': { label: 'MLP, 2-D latent', hidden: [256], latentDim: 2 },
  'mlp-16': { label: 'MLP, 16-D latent', hidden: [256], latentDim: 16 },
} as const;
export type PresetId = keyof typeof PRESETS;

/** Components of the mixture prior and pseudo-inputs of the VampPrior the controls build. */
export const MIXTURE_COMPONENTS = 10;
export const VAMP_COMPONENTS = 20;

/** The preset a config is, if it is one (on MNIST-shaped data), else undefined. */
export function presetOf(config: Omit<ModelConfig, 'seed'>): PresetId | undefined {
  if (config.dataShape.join('x') !== '784') return undefined;
  if (config.prior !== 'standard-normal' || config.likelihood !== 'bernoulli') return undefined;
  for (const [id, preset] of Object.entries(PRESETS) as [PresetId, (typeof PRESETS)[PresetId]][]) {
    if (preset.latentDim === config.latentDim && preset.hidden.join() === config.hidden.join()) {
      return id;
    }
  }
  return undefined;
}

/** What the page shows about a model: read from its architecture JSON. */
export interface ModelInfo {
  /** `MLP 784→256, latent 2, Bernoulli, N(0, I) prior`. */
  description: string;
  latentDim: number;
  dataShape: number[];
  /** The config it would be built from, when it is an MLP the controls can describe. */
  config: Omit<ModelConfig, 'seed'> | undefined;
  /** Trainable parameters. */
  parameters: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Spec {
  class: string;
  config: Record<string, Json>;
}

const LIKELIHOODS: Record<string, LikelihoodName> = {
  BernoulliDecoder: 'bernoulli',
  ContinuousBernoulliDecoder: 'continuous-bernoulli',
  GaussianDecoder: 'gaussian',
};
const PRIORS: Record<string, PriorName> = {
  StandardNormalPrior: 'standard-normal',
  DiagonalGaussianPrior: 'diagonal',
  MixtureOfGaussiansPrior: 'mixture',
  VampPrior: 'vamp',
};
export const LIKELIHOOD_LABELS: Record<LikelihoodName, string> = {
  bernoulli: 'Bernoulli',
  'continuous-bernoulli': 'continuous Bernoulli',
  gaussian: 'Gaussian',
};
export const PRIOR_LABELS: Record<PriorName, string> = {
  'standard-normal': 'N(0, I) prior',
  diagonal: 'learned diagonal Gaussian prior',
  mixture: `mixture of ${MIXTURE_COMPONENTS} Gaussians prior`,
  vamp: `VampPrior (${VAMP_COMPONENTS} pseudo-inputs)`,
};

function isSpec(value: Json | undefined): value is Json & Spec {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.class === 'string' &&
    typeof value.config === 'object' &&
    value.config !== null
  );
}

/** Every module spec in a tree, depth first. */
function specsOf(value: Json | undefined, out: Spec[] = []): Spec[] {
  if (Array.isArray(value)) {
    for (const item of value) specsOf(item, out);
  } else if (typeof value === 'object' && value !== null) {
    if (isSpec(value)) out.push(value);
    for (const child of Object.values(value)) specsOf(child, out);
  }
  return out;
}

/**
 * Describes a VAE from `model.architecture()` (`{ format, version, model: { class:
 * 'VAE', config: { encoder, decoder, prior } } }`) and its data shape.
 */
export function describeArchitecture(
  architecture: unknown,
  facts: { dataShape: number[]; latentDim: number; parameters: number },
): ModelInfo {
  const root = (architecture as { model?: Json } | undefined)?.model;
  const vae = isSpec(root) ? root.config : {};
  const encoder = specsOf(vae.encoder);
  const decoderSpec = vae.decoder;
  const priorSpec = vae.prior;
  const likelihood = isSpec(decoderSpec) ? LIKELIHOODS[decoderSpec.class] : undefined;
  const prior = isSpec(priorSpec) ? PRIORS[priorSpec.class] : undefined;
  const convolutional = encoder.some((spec) => spec.class === 'Conv2d');
  const hidden = encoder
    .filter((spec) => spec.class === 'Linear')
    .map((spec) => Number(spec.config.outFeatures));
  const { dataShape, latentDim } = facts;
  const parts = [
    `${convolutional ? 'conv' : 'MLP'} ${dataShape.join('x')}→${hidden.join('-')}`,
    `latent ${latentDim}`,
    likelihood === undefined ? 'custom decoder' : LIKELIHOOD_LABELS[likelihood],
    prior === undefined ? 'custom prior' : PRIOR_LABELS[prior],
  ];
  const config =
    !convolutional && likelihood !== undefined && prior !== undefined
      ? { dataShape, hidden, latentDim, prior, likelihood }
      : undefined;
  return {
    description: parts.join(', '),
    latentDim,
    dataShape,
    config,
    parameters: facts.parameters,
  };
}
