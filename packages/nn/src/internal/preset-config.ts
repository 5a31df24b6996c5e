import type { ActivationName } from '../activation.js';

/** The likelihood p(x | z) of a preset's decoder. */
export type Likelihood = 'bernoulli' | 'gaussian' | 'continuous-bernoulli';

/**
 * The prior of a preset: N(0, I) (default), a learnable diagonal Gaussian, a
 * learnable mixture of `components` Gaussians, a VampPrior with `components`
 * pseudo-inputs, or a flow prior: `layers` MAF (default) or RealNVP layers over
 * N(0, I) with MADE/coupling networks of widths `hidden` (default [64, 64]).
 */
export type PriorChoice =
  | 'standard-normal'
  | 'diagonal'
  | {
      /** A learned mixture of diagonal Gaussians. */
      kind: 'mixture';
      /** The number of components. */
      components: number;
    }
  | {
      /** A VampPrior. */
      kind: 'vamp';
      /** The number of pseudo-inputs. */
      components: number;
    }
  | {
      /** A flow over N(0, I). */
      kind: 'flow';
      /** The number of flow layers. */
      layers: number;
      /** MAF (default) or RealNVP layers. */
      flow?: 'maf' | 'realnvp';
      /** Widths of the MADE or coupling networks (default [64, 64]). */
      hidden?: number[];
    };

/**
 * The posterior q(z | x) of a preset: the diagonal Gaussian (default), or an
 * inverse autoregressive flow of `layers` layers on top of it, conditioned on
 * the encoder body's features, with MADE widths `hidden` (default [64, 64]).
 *
 * @example
 * ```ts
 * import type { PosteriorChoice } from '@vae/nn';
 * const posterior: PosteriorChoice = { kind: 'iaf', layers: 2, hidden: [64, 64] };
 * ```
 */
export type PosteriorChoice =
  | 'gaussian'
  | {
      /** An inverse autoregressive flow on top of the Gaussian. */
      kind: 'iaf';
      /** The number of IAF layers. */
      layers: number;
      /** Widths of the MADE networks (default [64, 64]). */
      hidden?: number[];
    };

/**
 * The decoder of the MLP preset: the factorized one (default; hidden layers mirroring
 * the encoder's, then the likelihood's parameters), or an autoregressive Bernoulli
 * decoder whose MADE has hidden widths `hidden` and reads z as its context.
 *
 * @example
 * ```ts
 * import type { DecoderChoice } from '@vae/nn';
 * const decoder: DecoderChoice = { kind: 'autoregressive', hidden: [500] };
 * ```
 */
export type DecoderChoice =
  | 'factorized'
  | {
      /** A MADE over the values, conditioned on z (Bernoulli likelihood only). */
      kind: 'autoregressive';
      /** The MADE's hidden widths (default: the encoder's widths, reversed). */
      hidden?: number[];
    };

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
  posterior: PosteriorChoice;
  decoder?: DecoderChoice;
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
  posterior: PosteriorChoice;
}

export type PresetConfig = MlpPresetConfig | ConvPresetConfig;
