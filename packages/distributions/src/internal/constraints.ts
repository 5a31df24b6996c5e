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
  description: 'positive',
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
export function interval(low: tf.Tensor, high: tf.Tensor, description: string): Constraint {
  return {
    description,
    check: (x) => tf.logicalAnd(tf.greaterEqual(x, low), tf.lessEqual(x, high)),
  };
}
