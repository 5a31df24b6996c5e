import { simplex } from './dirichlet.js';
import {
  boolean,
  corrCholesky,
  finiteReal,
  greaterThan,
  independent,
  integerBelow,
  interval,
  lessThan,
  nonNegative,
  nonNegativeInteger,
  nonZero,
  oneHot,
  positive,
  positiveValue,
  real,
  realVector,
  signedUnitInterval,
  unitInterval,
  unnormalizedSimplex,
} from './internal/constraints.js';

/**
 * The constraints the families and bijectors use (torch's `torch.distributions.constraints`),
 * for writing a `Distribution` subclass (its `support`, its parameter checks with `ParamScope`)
 * or a `Bijector` (its `domain` and `codomain`), and as keys of `bijectTo`/`registerBijectTo`.
 * A constraint is a plain object: `check(x)` returns a boolean tensor, reduced over the last
 * `eventRank` axes; a factory-made one carries a `kind` (`'interval'`, `'greaterThan'`, ...).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { bijectTo, constraints } from '@vae/distributions';
 *
 * const toPositive = bijectTo(constraints.positive); // Exp
 * toPositive.forward([0]).print(); // -> [1]
 * const toSimplex = bijectTo(constraints.simplex); // StickBreaking
 * // Three entries that sum to 1:
 * tf.sum(toSimplex.forward([0.5, -1])).print(); // -> 1
 * ```
 */
export const constraints = Object.freeze({
  /** Any real value, infinities included, but not NaN (values of `logProb`). */
  real,
  /** Finite reals (parameters). */
  finiteReal,
  /** Real vectors: `real` over one event axis (the domain of vector bijectors). */
  realVector,
  /** Finite and > 0 (parameters). */
  positive,
  /** > 0, +Infinity allowed (values on the open half-line). */
  positiveValue,
  /** >= 0, +Infinity allowed. */
  nonNegative,
  /** Finite and non-zero (scales and exponents of bijectors). */
  nonZero,
  /** In [0, 1]. */
  unitInterval,
  /** In [-1, 1]. */
  signedUnitInterval,
  /** Non-negative vectors summing to 1 along the last axis (within 1e-5 per entry). */
  simplex,
  /** Non-negative vectors with a positive finite sum along the last axis. */
  unnormalizedSimplex,
  /** Cholesky factors of correlation matrices `[..., D, D]`. */
  corrCholesky,
  /** 0 or 1. */
  boolean,
  /** Integers 0, 1, 2, ... */
  nonNegativeInteger,
  /** One-hot vectors along the last axis. */
  oneHot,
  /** `interval(low, high, description)`: in [low, high], tensor bounds. */
  interval,
  /** `greaterThan(bound)`: > bound. */
  greaterThan,
  /** `lessThan(bound)`: < bound. */
  lessThan,
  /** `integerBelow(count)`: integers in [0, count - 1]. */
  integerBelow,
  /** `independent(base, n)`: `base` checked over `n` more trailing axes. */
  independent,
});
