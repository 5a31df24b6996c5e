import * as tf from '@tensorflow/tfjs-core';
import { squareSize } from './internal/shapes.js';

/**
 * The diagonal of a batch of square matrices: `[...batch, n, n]` -> `[...batch, n]`
 * (differentiable on every backend).
 *
 * @param matrix - Square matrices, shape `[...batch, n, n]`.
 * @returns The diagonals, shape `[...batch, n]`. The caller owns the result.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { matrixDiagPart } from '@vae/divergence';
 *
 * matrixDiagPart(tf.tensor2d([[1, 2], [3, 4]])).print(); // -> [1, 4]
 * ```
 */
export function matrixDiagPart(matrix: tf.Tensor): tf.Tensor {
  const n = squareSize('matrixDiagPart', 'matrix', matrix);
  return tf.tidy(() => {
    // Flattened, entry (i, i) sits at i (n + 1): pad to n (n + 1) and read column 0
    // of [n, n + 1]. Pad and slice have gradients on every backend (gather's needs a
    // kernel wasm lacks).
    const batch = matrix.shape.slice(0, -2);
    const flat = tf.reshape(matrix, [...batch, n * n]);
    const padded = tf.pad(flat, [...batch.map((): [number, number] => [0, 0]), [0, n]]);
    const rows = tf.reshape(padded, [...batch, n, n + 1]);
    const begin = [...batch.map(() => 0), 0, 0];
    return tf.reshape(tf.slice(rows, begin, [...batch, n, 1]), [...batch, n]);
  });
}

/**
 * log det(L L^T) = 2 sum_i log L_ii for a Cholesky factor L (lower triangular,
 * positive diagonal), without forming L L^T. Differentiable.
 *
 * Shapes: `[...batch, n, n]` -> `[...batch]`. The caller owns the result.
 *
 * @param scaleTril - Cholesky factors, shape `[...batch, n, n]`.
 * @returns `log det(L L^T)`, shape `[...batch]`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cholesky, logDetCholesky } from '@vae/divergence';
 *
 * const covariance = tf.tensor2d([[4, 2], [2, 5]]);
 * // The log-determinant of covariance, ln 16:
 * logDetCholesky(cholesky(covariance)).print(); // -> 2.7726
 * ```
 */
export function logDetCholesky(scaleTril: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.sum(tf.log(matrixDiagPart(scaleTril)), -1), tf.scalar(2)));
}
