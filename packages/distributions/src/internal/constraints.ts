// Constraints on parameters and supports of values: each builds a boolean mask of valid entries.
import * as tf from '@tensorflow/tfjs-core';

/**
 * A set of valid values: `check` returns a boolean tensor, true where an entry is valid.
 *
 * @example
 * ```ts
 * const positive: Constraint = { description: 'positive', check: (x) => tf.greater(x, 0) };
 * ```
 */
export interface Constraint {
  /** Words for messages, e.g. `positive` or `in [0, 1]`. */
  readonly description: string;
  /** Elementwise validity (`event` > 0 reduces the last `event` axes with `all`). */
  check(x: tf.Tensor): tf.Tensor;
  /** Trailing axes checked together (1 for simplex and one-hot vectors), default 0. */
  readonly eventRank?: number;
  /** Family of a constraint built by a factory (`interval`, `greaterThan`, ...): `bijectTo` key. */
  readonly kind?: string;
}

function finiteMask(x: tf.Tensor): tf.Tensor {
  return tf.logicalNot(tf.logicalOr(tf.isNaN(x), tf.isInf(x)));
}

/** Finite reals (parameters). */
export const finiteReal: Constraint = { description: 'finite', check: finiteMask };

/** Any real value, infinities included, but not NaN (values of logProb). */
export const real: Constraint = {
  description: 'a real number (not NaN)',
  check: (x) => tf.logicalNot(tf.isNaN(x)),
};

/** Finite and > 0. */
export const positive: Constraint = {
  description: 'positive and finite',
  check: (x) => tf.logicalAnd(finiteMask(x), tf.greater(x, 0)),
};

/** >= 0, +Infinity allowed (values of logProb on the positive half-line). */
export const nonNegative: Constraint = {
  description: 'non-negative',
  check: (x) => tf.greaterEqual(x, 0),
};

/** > 0, +Infinity allowed (values of logProb on the open half-line). */
export const positiveValue: Constraint = {
  description: 'positive',
  check: (x) => tf.greater(x, 0),
};

/** In [0, 1]. */
export const unitInterval: Constraint = {
  description: 'in [0, 1]',
  check: (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 1)),
};

/** 0 or 1. */
export const boolean: Constraint = {
  description: '0 or 1',
  check: (x) => tf.logicalOr(tf.equal(x, 0), tf.equal(x, 1)),
};

/** Integers 0, 1, 2, ... */
export const nonNegativeInteger: Constraint = {
  description: 'a non-negative integer',
  check: (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.equal(x, tf.round(x))),
};

/** Integers in `[0, count - 1]`. */
export function integerBelow(count: number): Constraint {
  return {
    description: `an integer in [0, ${count - 1}]`,
    check: (x) =>
      tf.logicalAnd(
        tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, count - 1)),
        tf.equal(x, tf.round(x)),
      ),
  };
}

/** Vectors of zeros with exactly one 1 along the last axis. */
export const oneHot: Constraint = {
  description: 'a one-hot vector along the last axis',
  eventRank: 1,
  check: (x) => tf.logicalAnd(tf.all(boolean.check(x), -1), tf.equal(tf.sum(x, -1), 1)),
};

/** Non-negative vectors with a positive finite sum along the last axis (normalized by the family). */
export const unnormalizedSimplex: Constraint = {
  description: 'non-negative with a positive finite sum along the last axis',
  eventRank: 1,
  check: (x) => {
    const total = tf.sum(x, -1);
    return tf.logicalAnd(
      tf.all(tf.logicalAnd(finiteMask(x), tf.greaterEqual(x, 0)), -1),
      tf.logicalAnd(finiteMask(total), tf.greater(total, 0)),
    );
  },
};

/** In `[low, high]` (closed), with tensor bounds that broadcast against the value. */
export function interval(low: tf.Tensor, high: tf.Tensor, description: string): IntervalConstraint {
  return {
    kind: 'interval',
    low,
    high,
    description,
    check: (x) => tf.logicalAnd(tf.greaterEqual(x, low), tf.lessEqual(x, high)),
  };
}

// --- Constraints of bijectors (domains, codomains) and the families `bijectTo` knows by kind. ---

/**
 * `interval(low, high)`: carries its bounds so `bijectTo` can build sigmoid-then-affine.
 *
 * @example
 * ```ts
 * const support: IntervalConstraint = interval(low, high, 'in [low, high]');
 * ```
 */
export interface IntervalConstraint extends Constraint {
  readonly kind: 'interval';
  readonly low: tf.Tensor;
  readonly high: tf.Tensor;
}

/**
 * A half-line `(bound, ∞)` (`greaterThan`) or `(-∞, bound)` (`lessThan`).
 *
 * @example
 * ```ts
 * const support: HalfLineConstraint = greaterThan(1); // Pareto-like support
 * ```
 */
export interface HalfLineConstraint extends Constraint {
  readonly kind: 'greaterThan' | 'lessThan';
  readonly bound: tf.Tensor | number;
}

/**
 * `base` checked over `reinterpreted` more trailing axes (torch's `constraints.independent`).
 *
 * @example
 * ```ts
 * const vectors: IndependentConstraint = independent(real, 1); // event rank 1
 * ```
 */
export interface IndependentConstraint extends Constraint {
  readonly kind: 'independent';
  readonly base: Constraint;
  readonly reinterpreted: number;
}

/** `base` with its last `reinterpreted` extra axes checked together (all must hold). */
export function independent(base: Constraint, reinterpreted: number): IndependentConstraint {
  const baseRank = base.eventRank ?? 0;
  return {
    kind: 'independent',
    base,
    reinterpreted,
    description: base.description,
    eventRank: baseRank + reinterpreted,
    check: (x) => {
      const mask = base.check(x);
      if (reinterpreted === 0) return mask;
      const axes = Array.from({ length: reinterpreted }, (_, i) => mask.rank - reinterpreted + i);
      return tf.all(mask, axes);
    },
  };
}

/** Finite and non-zero (scales and exponents of bijectors). */
export const nonZero: Constraint = {
  description: 'finite and non-zero',
  check: (x) => tf.logicalAnd(finiteMask(x), tf.notEqual(x, 0)),
};

/** Real vectors (event rank 1): the domain of vector bijectors such as `StickBreaking`. */
export const realVector: IndependentConstraint = independent(real, 1);

/** In [-1, 1] (the codomain of `Tanh`). */
export const signedUnitInterval: Constraint = {
  description: 'in [-1, 1]',
  check: (x) => tf.logicalAnd(tf.greaterEqual(x, -1), tf.lessEqual(x, 1)),
};

/** Greater than `bound` (a number or a tensor that broadcasts against the value). */
export function greaterThan(bound: tf.Tensor | number): HalfLineConstraint {
  return {
    kind: 'greaterThan',
    bound,
    description: `greater than ${typeof bound === 'number' ? bound : 'the lower bound'}`,
    check: (x) => tf.greater(x, bound),
  };
}

/** Less than `bound` (a number or a tensor that broadcasts against the value). */
export function lessThan(bound: tf.Tensor | number): HalfLineConstraint {
  return {
    kind: 'lessThan',
    bound,
    description: `less than ${typeof bound === 'number' ? bound : 'the upper bound'}`,
    check: (x) => tf.less(x, bound),
  };
}

/**
 * Cholesky factors of correlation matrices `[..., D, D]`: lower triangular, positive diagonal,
 * rows of unit norm within 10 D float32 epsilons (torch's `corr_cholesky`).
 */
export const corrCholesky: Constraint = {
  description:
    'the Cholesky factor of a correlation matrix (lower triangular, positive diagonal, unit rows)',
  eventRank: 2,
  check: (x) => {
    const size = x.shape[x.rank - 1] ?? 1;
    const tolerance = 1.1920928955078125e-7 * size * 10;
    const lower = tf.linalg.bandPart(x, -1, 0);
    const isLower = tf.all(tf.all(tf.equal(lower, x), -1), -1);
    const diagonal = tf.sum(tf.mul(x, tf.eye(size)), -1);
    const diagonalPositive = tf.all(tf.greater(diagonal, 0), -1);
    const rowNorm = tf.sqrt(tf.sum(tf.square(x), -1));
    const unitRows = tf.all(tf.lessEqual(tf.abs(tf.sub(rowNorm, 1)), tolerance), -1);
    return tf.logicalAnd(tf.logicalAnd(isLower, diagonalPositive), unitRows);
  },
};
