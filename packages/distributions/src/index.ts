// Public API of @vae/distributions: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
export { Distribution, type DistributionShapes } from './distribution.js';
export type { Constraint } from './internal/constraints.js';
export { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
export {
  type DistributionClass,
  type KlFunction,
  klDivergence,
  registerKL,
} from './kl-registry.js';
export {
  klMultivariateNormalMultivariateNormal,
  MultivariateNormal,
  type MultivariateNormalFitOptions,
  type MultivariateNormalOptions,
} from './multivariate-normal.js';
export type { FitData as MultivariateNormalFitData } from './internal/mvn-fit.js';
