export { type AssignByNameOptions, assignByName } from './assign-by-name.js';
export { chiSquared } from './chi-squared.js';
export { crossEntropy } from './cross-entropy.js';
export type { DiscreteOptions } from './discrete-options.js';
export { ensureGradients, gradientsRegistered } from './ensure-gradients.js';
export { entropy } from './entropy.js';
export { expm1 } from './expm1.js';
export { hellinger } from './hellinger.js';
export { jensenShannon } from './jensen-shannon.js';
export { kl } from './kl.js';
export { type KlMonteCarloOptions, klMonteCarlo } from './kl-monte-carlo.js';
export {
  type KlMultivariateNormalOptions,
  klMultivariateNormal,
  type MultivariateNormalParams,
} from './kl-multivariate-normal.js';
export {
  type KlNormalOptions,
  klNormal,
  type NormalParameters,
  type TensorOrNumber,
} from './kl-normal.js';
export { type KlStandardNormalOptions, klStandardNormal } from './kl-standard-normal.js';
export { type CholeskyOptions, cholesky } from './linalg/cholesky.js';
export { logDetCholesky, matrixDiagPart } from './linalg/log-det-cholesky.js';
export { type TriangularSolveOptions, triangularSolve } from './linalg/triangular-solve.js';
export { log1p } from './log1p.js';
export { type MmdOptions, mmd } from './mmd.js';
export { randomStandardNormal } from './random-normal.js';
export { type RenyiOptions, renyi } from './renyi.js';
export { repeatRows } from './repeat-rows.js';
export {
  checkSeed,
  deriveSeed,
  type IndexedUniform,
  seededUniform,
  seededUniformAt,
  tfSeed,
  type UniformGenerator,
} from './seeds.js';
export { formatShape } from './shapes.js';
export { stopGradient } from './stop-gradient.js';
export type { TensorInput } from './tensor-input.js';
export { totalVariation } from './total-variation.js';
export { ensureArgument, VaeError, type VaeErrorCode } from './vae-error.js';
