// Public API of @vae/nn: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
export {
  Activation,
  type ActivationName,
  elu,
  leakyRelu,
  relu,
  sigmoid,
  softplus,
  tanh,
} from './activation.js';
export { BernoulliDecoder } from './bernoulli-decoder.js';
export {
  loadArtifactsInto,
  moduleToArtifacts,
  readManifest,
  type VaeManifest,
} from './checkpoint.js';
export { ContinuousBernoulliDecoder } from './continuous-bernoulli-decoder.js';
export { ConvTranspose2d, type ConvTranspose2dOptions } from './conv-transpose2d.js';
export { Conv2d, type Conv2dOptions } from './conv2d.js';
export { Decoder, type DecoderOptions } from './decoder.js';
export { DiagonalNormalPosterior } from './diagonal-normal-posterior.js';
export { GaussianDecoder, type GaussianDecoderOptions } from './gaussian-decoder.js';
export { GaussianEncoder, type GaussianEncoderOptions } from './gaussian-encoder.js';
export {
  type Fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  zeros,
} from './initializers.js';
export { Linear, type LinearOptions } from './linear.js';
export { loadVAE, vaeFromArtifacts } from './load-vae.js';
export { Module } from './module.js';
export {
  buildVAE,
  type ConvVaeOptions,
  convVAE,
  type MlpVaeOptions,
  mlpVAE,
} from './presets.js';
export { Flatten, Reshape } from './reshape.js';
export { Sequential } from './sequential.js';
export { VAE, type VaeOptions } from './vae.js';
export type { ConvVaeConfig, Likelihood, MlpVaeConfig, VaeConfig } from './vae-config.js';
