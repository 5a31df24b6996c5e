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
export {
  AutoregressiveBernoulli,
  type AutoregressiveBernoulliOptions,
} from './autoregressive-bernoulli.js';
export {
  AutoregressiveBernoulliDecoder,
  type AutoregressiveBernoulliDecoderOptions,
} from './autoregressive-bernoulli-decoder.js';
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
// Normalizing flows (flows/): layers that are modules and bijectors, densities, posteriors, priors.
export { AffineCoupling, type AffineCouplingOptions } from './flows/affine-coupling.js';
export type { AutoregressiveFlowOptions } from './flows/autoregressive-options.js';
export { FlowDistribution, type FlowDistributionOptions } from './flows/flow-distribution.js';
export { FlowEncoder } from './flows/flow-encoder.js';
export {
  type FlowBijectorOptions,
  type FlowDirection,
  type FlowForward,
  type FlowInverse,
  FlowLayer,
} from './flows/flow-layer.js';
export { FlowModel } from './flows/flow-model.js';
export { type FlowKind, type FlowStackOptions, flowStack } from './flows/flow-presets.js';
export { FlowPrior } from './flows/flow-prior.js';
export { FlowStack } from './flows/flow-stack.js';
export { InverseAutoregressiveFlow } from './flows/inverse-autoregressive-flow.js';
export { MADE, type MadeCallOptions, type MadeOptions } from './flows/made.js';
export { MaskedAutoregressiveFlow } from './flows/masked-autoregressive-flow.js';
export { Permutation } from './flows/permutation.js';
export { PlanarFlow, type SimpleFlowOptions } from './flows/planar-flow.js';
export { RadialFlow } from './flows/radial-flow.js';
export { GaussianDecoder, type GaussianDecoderOptions } from './gaussian-decoder.js';
export { GaussianEncoder, type GaussianEncoderOptions } from './gaussian-encoder.js';
// Hierarchical (two-stochastic-layer) VAEs: the joint distributions, encoder, prior and preset.
export {
  HierarchicalDistribution,
  type HierarchicalDistributionOptions,
} from './hierarchical-distribution.js';
export { HierarchicalEncoder, type HierarchicalEncoderOptions } from './hierarchical-encoder.js';
export { type HierarchicalVaeOptions, hierarchicalVAE } from './hierarchical-presets.js';
export { HierarchicalPrior, type HierarchicalPriorOptions } from './hierarchical-prior.js';
export {
  type Fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  zeros,
} from './initializers.js';
export type { RolloutPick } from './internal/made-rollout.js';
export type {
  DecoderChoice,
  Likelihood,
  PosteriorChoice,
  PriorChoice,
} from './internal/preset-config.js';
export { Linear, type LinearOptions } from './linear.js';
export {
  MixtureOfGaussiansPrior,
  type MixtureOfGaussiansPriorOptions,
} from './mixture-of-gaussians-prior.js';
export { type CallOptions, type ModelTopology, Module } from './module.js';
export { Narrow } from './narrow.js';
export {
  type AutoregressiveVaeOptions,
  autoregressiveVAE,
  type ConvVaeOptions,
  convVAE,
  type MlpVaeOptions,
  mlpVAE,
} from './presets.js';
export { Prior } from './prior.js';
export { Flatten, Reshape } from './reshape.js';
export { type Resample, ResidualBlock, type ResidualBlockOptions } from './residual-block.js';
export { type ResidualConvVaeOptions, residualConvVAE } from './residual-presets.js';
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
