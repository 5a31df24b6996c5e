// Woodbury and matrix-determinant-lemma helpers of LowRankMultivariateNormal, Sigma = W W^T + D
// (W [..., d, r], D [..., d] positive), as torch.distributions computes them: everything goes
// through the r x r capacitance matrix C = I + W^T D^-1 W, so no d x d matrix is ever formed.
// Call inside tf.tidy.
import * as tf from '@tensorflow/tfjs-core';
import { cholesky, logDetCholesky, triangularSolve } from '@vae/divergence';
import { mahalanobis } from './mvn-linalg.js';
import { broadcastShapes } from './shapes.js';

/** A low-rank-plus-diagonal covariance with the Cholesky factor of its capacitance. */
export interface LowRankCovariance {
  /** W `[...batchW, d, r]`. */
  readonly covFactor: tf.Tensor;
  /** D `[...batchD, d]`, positive. */
  readonly covDiag: tf.Tensor;
  /** Cholesky factor of C = I + W^T D^-1 W, `[...batchWD, r, r]`. */
  readonly capacitanceTril: tf.Tensor;
}

/** The last two axes swapped. */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return tf.transpose(x, perm);
}

/** ||X||_F^2 over the last two axes: the trace of X X^T. */
export function traceXXt(x: tf.Tensor): tf.Tensor {
  return tf.sum(tf.square(x), [-2, -1]);
}

/** Both tensors broadcast over their batch axes (all but the last `core` axes of each). */
export function broadcastBatch(
  a: tf.Tensor,
  b: tf.Tensor,
  core: { a: number; b: number },
): [tf.Tensor, tf.Tensor] {
  const batch = broadcastShapes([a.shape.slice(0, -core.a), b.shape.slice(0, -core.b)])!;
  return [
    tf.broadcastTo(a, [...batch, ...a.shape.slice(-core.a)]),
    tf.broadcastTo(b, [...batch, ...b.shape.slice(-core.b)]),
  ];
}

/**
 * a @ b with their batch axes broadcast explicitly first: tfjs's BatchMatMul broadcasts in the
 * forward pass but its gradient does not reduce over broadcast axes.
 */
export function broadcastMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [left, right] = broadcastBatch(a, b, { a: 2, b: 2 });
  return tf.matMul(left, right);
}

/**
 * `matrix` x for `x` `[...outer, ...batch, c]` and `matrix` `[...batchM, r, c]` (batchM
 * broadcasting to `batch`) -> `[...outer, ...batch, r]`: one matMul with the samples as columns.
 */
export function matVec(matrix: tf.Tensor, x: tf.Tensor, batch: readonly number[]): tf.Tensor {
  const r = matrix.shape[matrix.rank - 2]!;
  const c = matrix.shape[matrix.rank - 1]!;
  const outer = x.shape.slice(0, x.rank - 1 - batch.length);
  if (matrix.rank === 2) {
    const rows = tf.matMul(tf.reshape(x, [-1, c]), tf.transpose(matrix));
    return tf.reshape(rows, [...x.shape.slice(0, -1), r]);
  }
  const n = outer.reduce((a, b) => a * b, 1);
  const size = batch.reduce((a, b) => a * b, 1);
  const full = tf.reshape(tf.broadcastTo(matrix, [...batch, r, c]), [size, r, c]);
  const columns = tf.transpose(
    tf.reshape(tf.broadcastTo(x, [...outer, ...batch, c]), [n, size, c]),
    [1, 2, 0],
  );
  const product = tf.matMul(full, columns); // [B, r, N]
  return tf.reshape(tf.transpose(product, [2, 0, 1]), [...outer, ...batch, r]);
}

/** W^T D^-1 `[...batchWD, r, d]`. */
export function factorOverDiag(covFactor: tf.Tensor, covDiag: tf.Tensor): tf.Tensor {
  return tf.div(transposeLast(covFactor), tf.expandDims(covDiag, -2));
}

/** Cholesky factor of C = I + W^T D^-1 W, `[...batchWD, r, r]` (differentiable). */
export function capacitanceTril(covFactor: tf.Tensor, covDiag: tf.Tensor): tf.Tensor {
  const r = covFactor.shape[covFactor.rank - 1]!;
  const [w, d] = broadcastBatch(covFactor, covDiag, { a: 2, b: 1 });
  const capacitance = tf.add(tf.matMul(factorOverDiag(w, d), w), tf.eye(r));
  return cholesky(capacitance);
}

/** log det(W W^T + D) = log det C + sum log D, `[...batchWD]`. */
export function lowRankLogDet(c: LowRankCovariance): tf.Tensor {
  return tf.add(logDetCholesky(c.capacitanceTril), tf.sum(tf.log(c.covDiag), -1));
}

/**
 * A^T A's factor A = L_C^-1 W^T D^-1 `[...batchWD, r, d]`, with (W W^T + D)^-1 = D^-1 - A^T A
 * (Woodbury).
 */
export function woodburyFactor(c: LowRankCovariance): tf.Tensor {
  const [w, d] = broadcastBatch(c.covFactor, c.covDiag, { a: 2, b: 1 });
  const rhs = factorOverDiag(w, d);
  const [tril, right] = broadcastBatch(c.capacitanceTril, rhs, { a: 2, b: 2 });
  return triangularSolve(tril, right);
}

/**
 * Squared Mahalanobis norms x^T (W W^T + D)^-1 x = sum x^2 / D - ||L_C^-1 W^T D^-1 x||^2 for
 * `x` `[...outer, ...batch, d]` -> `[...outer, ...batch]`; `batch` is the full batch shape.
 */
export function lowRankMahalanobis(
  c: LowRankCovariance,
  x: tf.Tensor,
  batch: readonly number[],
): tf.Tensor {
  const scaled = tf.div(x, c.covDiag); // D^-1 x
  const first = tf.sum(tf.mul(x, scaled), -1);
  const projected = matVec(transposeLast(c.covFactor), scaled, batch); // W^T D^-1 x
  const r = c.capacitanceTril.shape[c.capacitanceTril.rank - 1]!;
  const tril =
    c.capacitanceTril.rank === 2
      ? c.capacitanceTril
      : tf.broadcastTo(c.capacitanceTril, [...batch, r, r]);
  return tf.sub(first, mahalanobis(tril, projected, undefined));
}
