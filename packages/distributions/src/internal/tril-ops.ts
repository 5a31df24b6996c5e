// Products and solves with a batch of lower-triangular matrices for the Affine bijector.
// Call inside tf.tidy.
import * as tf from '@tensorflow/tfjs-core';
import { triangularSolve } from '@vae/divergence';
import { broadcastShapes } from './shapes.js';

/** L x: `scaleTril` `[...b, d, d]`, `x` `[..., d]` (broadcasting) -> `[..., d]`. */
export function trilMatvec(scaleTril: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const d = x.shape[x.rank - 1]!;
  if (scaleTril.rank === 2) {
    // Rows of x times L^T, one untransposed matMul (wasm's transposed matMul is slow).
    const flat = tf.reshape(x, [-1, d]);
    return tf.reshape(tf.matMul(flat, tf.transpose(scaleTril)), x.shape);
  }
  return tf.sum(tf.mul(scaleTril, tf.expandDims(x, -2)), -1);
}

/**
 * L^-1 r by triangular substitution: `scaleTril` `[...b, d, d]`, `r` `[..., d]` -> the broadcast
 * `[..., d]`. The leading axes of r beyond L's batch become columns of one batched solve.
 */
export function trilSolve(scaleTril: tf.Tensor, r: tf.Tensor): tf.Tensor {
  const d = scaleTril.shape[scaleTril.rank - 1]!;
  const matrixBatch = scaleTril.shape.slice(0, -2);
  const valueBatch = r.shape.slice(0, -1);
  const full = broadcastShapes([valueBatch, matrixBatch])!;
  const batchRank = matrixBatch.length;
  const trailing = full.slice(full.length - batchRank);
  const outer = full.slice(0, full.length - batchRank);
  const b = trailing.reduce((a, c) => a * c, 1);
  const n = outer.reduce((a, c) => a * c, 1);
  const tril = tf.reshape(tf.broadcastTo(scaleTril, [...trailing, d, d]), [b, d, d]);
  const columns = tf.transpose(tf.reshape(tf.broadcastTo(r, [...full, d]), [n, b, d]), [1, 2, 0]);
  const solved = triangularSolve(tril, columns);
  return tf.reshape(tf.transpose(solved, [2, 0, 1]), [...full, d]);
}
