import type { ActivationName } from '../activation.js';

/** The likelihood p(x | z) of a preset's decoder. */
export type Likelihood = 'bernoulli' | 'gaussian' | 'continuous-bernoulli';

/**
 * The prior of a preset: N(0, I) (default), a learnable diagonal Gaussian, a
 * learnable mixture of `components` Gaussians, or a VampPrior with
 * `components` pseudo-inputs.
 */
export type PriorChoice =
  | 'standard-normal'
  | 'diagonal'
  | { kind: 'mixture'; components: number }
  | { kind: 'vamp'; components: number };

/** What the MLP preset builds from (every option resolved). */
export interface MlpPresetConfig {
  kind: 'mlp';
  inputShape: number[];
  hidden: number[];
  latentDim: number;
  likelihood: Likelihood;
  activation: ActivationName;
  variance?: 'learned' | number;
  prior: PriorChoice;
}

/** What the conv preset builds from (every option resolved). */
export interface ConvPresetConfig {
  kind: 'conv';
  inputShape: [number, number, number];
  channels: number[];
  hidden: number;
  latentDim: number;
  likelihood: Likelihood;
  activation: ActivationName;
  variance?: 'learned' | number;
  prior: PriorChoice;
}

export type PresetConfig = MlpPresetConfig | ConvPresetConfig;
