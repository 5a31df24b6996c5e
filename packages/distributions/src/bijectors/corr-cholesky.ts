import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { corrCholesky, realVector } from '../internal/constraints.js';
import { gatherLast } from '../internal/gather-last.js';
import { formatShape } from '../internal/shapes.js';
import { Bijector, type BijectorOptions } from './bijector.js';
import { logOneMinusTanhSquared } from './tanh.js';

/** Index tables for D x D: vec (strictly lower, row-major, torch's order) <-> flat matrix. */
interface Tables {
  /** For each flat position (i, j): its vec index when j < i, else N (the zero slot). */
  toMatrix: number[];
  /** For each vec entry: its flat position i D + j. */
  fromMatrix: number[];
  /** Log-det weights (i - j + 1) / 2 of log(1 - r_ij^2) (tanh plus stick-breaking). */
  weights: number[];
}

const tablesBySize = new Map<number, Tables>();

function tables(d: number): Tables {
  let found = tablesBySize.get(d);
  if (found === undefined) {
    const n = (d * (d - 1)) / 2;
    const toMatrix = new Array<number>(d * d).fill(n);
    const fromMatrix: number[] = [];
    const weights: number[] = [];
    for (let i = 1; i < d; i++) {
      for (let j = 0; j < i; j++) {
        toMatrix[i * d + j] = fromMatrix.length;
        fromMatrix.push(i * d + j);
        weights.push((i - j + 1) / 2);
      }
    }
    found = { toMatrix, fromMatrix, weights };
    tablesBySize.set(d, found);
  }
  return found;
}

/**
 * From R^(D(D-1)/2) to Cholesky factors of D x D correlation matrices (torch's
 * `CorrCholeskyTransform`, the `bijectTo` of `constraints.corrCholesky`, and the support
 * transform of an LKJ-Cholesky prior): x fills the strictly lower triangle row by row
 * (torch's order), r = tanh(x) are partial correlations, and each row is completed by
 * stick-breaking on squares, y_ij = r_ij sqrt(prod_{k<j} (1 - r_ik^2)), y_ii the rest of the
 * unit norm. Computed with log(1 - r^2) = 2 (log 2 - x - softplus(-2x)), so rows stay exact
 * where tanh rounds to ±1; the inverse divides by the norm of the rest of the row (a sum of
 * squares, not 1 minus one). The log-det is that of x -> the strictly lower triangle of y,
 * sum_ij (i - j + 1) / 2 log(1 - r_ij^2) (torch's value). Event ranks 1 -> 2.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { CorrCholesky } from '@vae/distributions';
 *
 * const corr = new CorrCholesky();
 * const l = corr.forward([0.5, -0.2, 1]); // [3, 3], lower triangular, rows of unit norm
 * console.log(l.shape); // -> [ 3, 3 ]
 * corr.inverse(l).print(); // -> [0.5, -0.2, 1]
 * ```
 */
export class CorrCholesky extends Bijector {
  /**
   * Builds the bijector (it has no parameters).
   *
   * @param options - `cache` (default true): remember the last forward/inverse pair (see {@link Bijector}).
   */
  constructor(options: Pick<BijectorOptions, 'cache'> = {}) {
    super({
      name: 'CorrCholesky',
      domain: realVector,
      codomain: corrCholesky,
      cache: options.cache,
    });
  }

  override forwardShape(shape: readonly number[]): number[] {
    const d = matrixSize(shape);
    return [...shape.slice(0, -1), d, d];
  }

  override inverseShape(shape: readonly number[]): number[] {
    const d = shape[shape.length - 1];
    if (shape.length < 2 || d === undefined || shape[shape.length - 2] !== d) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `CorrCholesky.inverseShape: needs square matrices [..., D, D], got shape ${formatShape(shape)}`,
      );
    }
    return [...shape.slice(0, -2), (d * (d - 1)) / 2];
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    const shape = this.forwardShape(x.shape);
    const d = shape[shape.length - 1]!;
    const { toMatrix, fromMatrix } = tables(d);
    const square = (v: tf.Tensor) => tf.reshape(gatherLast(v, toMatrix, fromMatrix), shape);
    // C_ij = sum_{k<j} log(1 - r_ik^2): the log of the squared stick left before entry j.
    const logRest = tf.cumsum(square(logOneMinusTanhSquared(x)), shape.length - 1, true);
    const r = tf.add(square(tf.tanh(x)), tf.eye(d));
    return tf.mul(r, tf.exp(tf.mul(logRest, 0.5)));
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    const shape = this.inverseShape(y.shape);
    const d = y.shape[y.rank - 1]!;
    const { toMatrix, fromMatrix } = tables(d);
    const flat = (m: tf.Tensor) => tf.reshape(m, [...y.shape.slice(0, -2), d * d]);
    const strictlyLower = (m: tf.Tensor) => gatherLast(flat(m), fromMatrix, toMatrix);
    // The stick left before entry j of row i is sum_{k>=j} y_ik^2 (the row has unit norm).
    const rest = tf.cumsum(tf.square(y), y.rank - 1, false, true);
    const r = tf.div(strictlyLower(y), tf.sqrt(strictlyLower(rest)));
    return tf.reshape(tf.mul(tf.sub(tf.log1p(r), tf.log1p(tf.neg(r))), 0.5), shape);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    const d = matrixSize(x.shape);
    const weights = tf.tensor1d(tables(d).weights, 'float32');
    return tf.sum(tf.mul(logOneMinusTanhSquared(x), weights), -1);
  }
}

/** D from a vector length D (D - 1) / 2 on the last axis of `shape`. */
function matrixSize(shape: readonly number[]): number {
  const n = shape[shape.length - 1];
  const d = n === undefined ? 0 : Math.round(Math.sqrt(0.25 + 2 * n) + 0.5);
  if (n === undefined || (d * (d - 1)) / 2 !== n) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `CorrCholesky: the last axis must hold D (D - 1) / 2 entries (1, 3, 6, 10, ...), got shape ${formatShape(shape)}`,
    );
  }
  return d;
}
