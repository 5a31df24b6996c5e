// Public API of @vae/nn: list every exported name explicitly (no export *).
// Node-only helpers (model files) live in `@vae/nn/node` (src/node.ts).
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
export { ContinuousBernoulliDecoder } from './continuous-bernoulli-decoder.js';
export { ConvTranspose2d, type ConvTranspose2dOptions } from './conv-transpose2d.js';
export { Conv2d, type Conv2dOptions } from './conv2d.js';
export { Decoder, type DecoderOptions } from './decoder.js';
export { DiagonalGaussianPrior } from './diagonal-gaussian-prior.js';
export { DiagonalNormal, StandardNormal } from './diagonal-normal.js';
export {
  DiscretizedLogisticMixtureDecoder,
  type DiscretizedLogisticMixtureDecoderOptions,
} from './discretized-logistic-mixture-decoder.js';
export { Encoder } from './encoder.js';
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
export type { Likelihood, PriorChoice } from './internal/preset-config.js';
export { Linear, type LinearOptions } from './linear.js';
export {
  MixtureOfGaussiansPrior,
  type MixtureOfGaussiansPriorOptions,
} from './mixture-of-gaussians-prior.js';
export { type ModelTopology, Module } from './module.js';
export {
  type ConvVaeOptions,
  convVAE,
  type MlpVaeOptions,
  mlpVAE,
} from './presets.js';
export { Prior } from './prior.js';
export { Flatten, Reshape } from './reshape.js';
export { Sequential } from './sequential.js';
export { ConfigReader } from './serialization/config-reader.js';
export {
  loadWeightsFromArtifacts,
  MAX_PARAMETERS,
  modelFromArtifacts,
  modelToArtifacts,
} from './serialization/model-artifacts.js';
export type { JsonValue, ModuleConfig, ModuleSpec } from './serialization/module-spec.js';
export {
  type BuildContext,
  type ModuleClass,
  registeredModule,
  registerModule,
} from './serialization/registry.js';
export {
  loadModel,
  loadVAE,
  loadWeights,
  type ModelLocation,
  saveModel,
} from './serialization/save-load.js';
export { StandardNormalPrior } from './standard-normal-prior.js';
export { VAE, type VaeOptions } from './vae.js';
export { VampPrior, type VampPriorOptions } from './vamp-prior.js';
