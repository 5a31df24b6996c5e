// Public API of @vae/elbo: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
export { type ElboOptions, type ElboTerms, elbo, type KlEstimator } from './elbo.js';
export { type IwaeOptions, iwae } from './iwae.js';
export {
  type IwaeValidationOptions,
  type IwaeValidationResult,
  iwaeValidationLoss,
} from './iwae-validation-loss.js';
export type {
  GaussianPosteriorParameters,
  LatentVariableModel,
  RepeatedLogProb,
} from './latent-variable-model.js';
export { elboGap, type LogLikelihoodOptions, logLikelihood } from './log-likelihood.js';
export { activeUnits, bitsPerDim, natsPerExample } from './metrics.js';
export { negativeElboLoss } from './negative-elbo-loss.js';
export {
  type NegativeIwaeLossOptions,
  type NegativeIwaeLossResult,
  negativeIwaeLoss,
} from './negative-iwae-loss.js';
export { type BetaSchedule, constantBeta, cyclical, linearWarmup } from './schedules.js';
