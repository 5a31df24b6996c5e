import type { ActivationName } from './activation.js';

/** The likelihood p(x | z) of a preset's decoder. */
export type Likelihood = 'bernoulli' | 'gaussian' | 'continuous-bernoulli';

/** Architecture of {@link mlpVAE}: everything needed to rebuild the network, no weights. */
export interface MlpVaeConfig {
  kind: 'mlp';
  /** Shape of one example, e.g. [784]. */
  inputShape: number[];
  /** Hidden widths of the encoder; the decoder mirrors them. */
  hidden: number[];
  latentDim: number;
  likelihood: Likelihood;
  activation: ActivationName;
  /** Gaussian likelihood only: 'learned' or a fixed variance. */
  variance?: 'learned' | number;
}

/** Architecture of {@link convVAE}. */
export interface ConvVaeConfig {
  kind: 'conv';
  /** [height, width, channels]; height and width divisible by 2^channels.length. */
  inputShape: [number, number, number];
  /** Channels of the stride-2 convolutions (the decoder mirrors them). */
  channels: number[];
  /** Width of the dense layer between the convolutions and the latent heads. */
  hidden: number;
  latentDim: number;
  likelihood: Likelihood;
  activation: ActivationName;
  variance?: 'learned' | number;
}

/** A preset's architecture, recorded in checkpoints and checked on load. */
export type VaeConfig = MlpVaeConfig | ConvVaeConfig;
