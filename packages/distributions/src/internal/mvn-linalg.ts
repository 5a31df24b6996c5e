// Batched helpers of MultivariateNormal: whitening x - loc with L^-1 and colouring eps with L,
// for a scale factor with its own (broadcastable) batch shape. Call inside tf.tidy.
import * as tf from '@tensorflow/tfjs-core';
import { triangularSolve } from '@vae/divergence';

/**
 * Moves `[...outer, ...batch, d]` to `[B, d, N]` (B = prod batch, N = prod outer) so one
 * batched solve or matMul handles every sample of every batch member.
 */
function toColumns(x: tf.Tensor, batchRank: number): { columns: tf.Tensor3D; outer: number[] } {
  const d = x.shape[x.rank - 1]!;
  const outer = x.shape.slice(0, x.rank - 1 - batchRank);
  const batch = x.shape.slice(x.rank - 1 - batchRank, x.rank - 1);
  const n = outer.reduce((a, b) => a * b, 1);
  const b = batch.reduce((a, c) => a * c, 1);
  const grouped = tf.reshape(x, [n, b, d]);
  return { columns: tf.transpose(grouped, [1, 2, 0]) as tf.Tensor3D, outer };
}

/** Inverse of {@link toColumns}: `[B, d, N]` back to `[...outer, ...batch, d]`. */
function fromColumns(columns: tf.Tensor3D, shape: number[]): tf.Tensor {
  return tf.reshape(tf.transpose(columns, [2, 0, 1]), shape);
}

/**
 * Squared Mahalanobis norms ||L^-1 diff||^2: `diff` `[...outer, ...batch, d]`, `scaleTril`
 * `[...batch, d, d]` (already broadcast to the batch) -> `[...outer, ...batch]`.
 */
export function mahalanobis(
  scaleTril: tf.Tensor,
  diff: tf.Tensor,
  blockSize: number | undefined,
): tf.Tensor {
  const batchRank = scaleTril.rank - 2;
  const d = diff.shape[diff.rank - 1]!;
  const { columns } = toColumns(diff, batchRank);
  const tril = tf.reshape(scaleTril, [-1, d, d]);
  const options = blockSize === undefined ? {} : { blockSize };
  const whitened = triangularSolve(tril, columns, options);
  const norms = tf.sum(tf.square(whitened), 1); // [B, N]
  return tf.reshape(tf.transpose(norms), diff.shape.slice(0, -1));
}

/** L eps for `eps` `[...outer, ...batch, d]` and `scaleTril` `[...batch, d, d]`. */
export function colour(scaleTril: tf.Tensor, eps: tf.Tensor): tf.Tensor {
  const d = eps.shape[eps.rank - 1]!;
  if (scaleTril.rank === 2) {
    // Unbatched (the d = 2700 case): rows of eps times L^T, one untransposed matMul.
    const flat = tf.reshape(eps, [-1, d]);
    return tf.reshape(tf.matMul(flat, tf.transpose(scaleTril)), eps.shape);
  }
  const { columns } = toColumns(eps, scaleTril.rank - 2);
  const tril = tf.reshape(scaleTril, [-1, d, d]) as tf.Tensor3D;
  return fromColumns(tf.matMul(tril, columns), eps.shape);
}
