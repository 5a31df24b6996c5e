// Public API of @vae/distributions: list every exported name explicitly (no export *).
export { VaeError, type VaeErrorCode } from '@vae/divergence';
export { Bernoulli, type BernoulliOptions } from './bernoulli.js';
export { Beta, type BetaOptions } from './beta.js';
export { Binomial, type BinomialOptions } from './binomial.js';
export { Categorical, type CategoricalOptions } from './categorical.js';
export { Cauchy, type CauchyOptions } from './cauchy.js';
export { Chi2, type Chi2Options } from './chi2.js';
export { ContinuousBernoulli, type ContinuousBernoulliOptions } from './continuous-bernoulli.js';
export { Dirichlet, type DirichletOptions } from './dirichlet.js';
export {
  DiscretizedLogistic,
  type DiscretizedLogisticOptions,
} from './discretized-logistic.js';
export type { BatchMapper } from './distribution.js';
export { Distribution, type DistributionShapes } from './distribution.js';
export { Exponential, type ExponentialOptions } from './exponential.js';
export { FisherSnedecor, type FisherSnedecorOptions } from './fisher-snedecor.js';
export { Gamma, type GammaOptions } from './gamma.js';
export { Geometric, type GeometricOptions } from './geometric.js';
export { Gumbel, type GumbelOptions } from './gumbel.js';
export { HalfCauchy, type HalfCauchyOptions } from './half-cauchy.js';
export { HalfNormal, type HalfNormalOptions } from './half-normal.js';
export { Independent } from './independent.js';
export type { Constraint } from './internal/constraints.js';
export type { FitData as MultivariateNormalFitData } from './internal/mvn-fit.js';
export { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
export {
  type DistributionClass,
  hasKL,
  type KlFunction,
  klDivergence,
  registerKL,
} from './kl-registry.js';
export { Kumaraswamy, type KumaraswamyOptions } from './kumaraswamy.js';
export { Laplace, type LaplaceOptions } from './laplace.js';
export { LKJCholesky, type LKJCholeskyOptions } from './lkj-cholesky.js';
export { LogNormal, type LogNormalOptions } from './log-normal.js';
export {
  LowRankMultivariateNormal,
  type LowRankMultivariateNormalOptions,
} from './low-rank-multivariate-normal.js';
export type { MixtureEntropyOptions } from './mixture-same-family.js';
export { MixtureSameFamily, type MixtureSameFamilyOptions } from './mixture-same-family.js';
export { Multinomial, type MultinomialOptions } from './multinomial.js';
export {
  klMultivariateNormalMultivariateNormal,
  MultivariateNormal,
  type MultivariateNormalFitOptions,
  type MultivariateNormalOptions,
} from './multivariate-normal.js';
export { NegativeBinomial, type NegativeBinomialOptions } from './negative-binomial.js';
export { Normal, type NormalOptions } from './normal.js';
export { OneHotCategorical, type OneHotCategoricalOptions } from './one-hot-categorical.js';
export { OneHotCategoricalStraightThrough } from './one-hot-categorical-straight-through.js';
export { Pareto, type ParetoOptions } from './pareto.js';
export { Poisson, type PoissonOptions } from './poisson.js';
export { RelaxedBernoulli, type RelaxedBernoulliOptions } from './relaxed-bernoulli.js';
export {
  RelaxedOneHotCategorical,
  type RelaxedOneHotCategoricalOptions,
} from './relaxed-one-hot-categorical.js';
export { StudentT, type StudentTOptions } from './student-t.js';
export { Uniform, type UniformOptions } from './uniform.js';
export { VonMises, type VonMisesOptions } from './von-mises.js';
export { Weibull, type WeibullOptions } from './weibull.js';
export { Wishart, type WishartOptions } from './wishart.js';

// Bijectors and transformed distributions.

export { Affine, type AffineOptions } from './bijectors/affine.js';
export { Bijector, type BijectorDefinition, type BijectorOptions } from './bijectors/bijector.js';
export { Chain } from './bijectors/chain.js';
export { CorrCholesky } from './bijectors/corr-cholesky.js';
export { Exp } from './bijectors/exp.js';
export { Identity } from './bijectors/identity.js';
export { Invert } from './bijectors/invert.js';
export { Permute, type PermuteOptions } from './bijectors/permute.js';
export { Power, type PowerOptions } from './bijectors/power.js';
export { type BijectorFactory, bijectTo, registerBijectTo } from './bijectors/registry.js';
export { Reshape, type ReshapeOptions } from './bijectors/reshape.js';
export { Scale, type ScaleOptions } from './bijectors/scale.js';
export { Shift, type ShiftOptions } from './bijectors/shift.js';
export { Sigmoid } from './bijectors/sigmoid.js';
export { SoftmaxCentered } from './bijectors/softmax-centered.js';
export { Softplus } from './bijectors/softplus.js';
export { StickBreaking } from './bijectors/stick-breaking.js';
export { Tanh } from './bijectors/tanh.js';
export { constraints } from './constraints.js';
export type {
  HalfLineConstraint,
  IndependentConstraint,
  IntervalConstraint,
} from './internal/constraints.js';
export { LogisticNormal, type LogisticNormalOptions } from './logistic-normal.js';
export { TransformedDistribution } from './transformed-distribution.js';
