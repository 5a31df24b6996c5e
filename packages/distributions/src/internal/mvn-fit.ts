// Maximum-likelihood mean and covariance accumulated over batches of rows (memory bounded).
import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';

/**
 * Rows to fit: a `[n, d]` tensor, or `{ images, size }` on the host, `images` a `Float32Array`
 * of `size` rows of d values each (row-major), uploaded one batch at a time.
 */
export type FitData =
  | tf.Tensor
  | {
      /** `size` rows of d values each, row-major. */
      images: Float32Array;
      /** The number of rows n. */
      size: number;
    };

/** Options of the batched moment computation. */
export interface MomentOptions {
  /** Rows per batch (default 256): memory is O(d^2 + batchSize d). */
  batchSize?: number;
  /** Shrinkage lambda in [0, 1] toward the diagonal (default 0). */
  shrinkage?: number;
}

function shapeOf(data: FitData): { n: number; d: number } {
  if (data instanceof tf.Tensor) {
    if (data.rank !== 2 || data.shape[0]! < 1) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `MultivariateNormal.fit: \`data\` must be [n, d] with n >= 1, got shape [${data.shape.join(', ')}]`,
      );
    }
    return { n: data.shape[0]!, d: data.shape[1]! };
  }
  const { images, size } = data;
  if (!Number.isInteger(size) || size < 1 || images.length % size !== 0) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `MultivariateNormal.fit: \`data.images\` (length ${images.length}) must hold \`data.size\` = ${size} rows`,
    );
  }
  return { n: size, d: images.length / size };
}

function batchRows(data: FitData, range: { start: number; count: number; d: number }): tf.Tensor2D {
  const { start, count, d } = range;
  if (data instanceof tf.Tensor) {
    return tf.cast(tf.slice(data, [start, 0], [count, d]), 'float32') as tf.Tensor2D;
  }
  return tf.tensor2d(data.images.subarray(start * d, (start + count) * d), [count, d]);
}

/**
 * Sample mean `[d]` and maximum-likelihood covariance `[d, d]` (divided by n), shrunk by
 * lambda toward the diagonal: (1 - lambda) Sigma + lambda diag(Sigma). Accumulates, per batch,
 * the sum of (x - s) and (x - s)^T (x - s) for a shift s (the first batch's mean), which keeps
 * float32 cancellation small. X^T X is an explicit transpose then a plain matMul (fast on wasm).
 */
export function batchedMoments(
  data: FitData,
  options: MomentOptions = {},
): { mean: tf.Tensor1D; covariance: tf.Tensor2D } {
  const { n, d } = shapeOf(data);
  const batchSize = options.batchSize ?? 256;
  const shrinkage = options.shrinkage ?? 0;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `MultivariateNormal.fit: \`batchSize\` must be a positive integer, got ${batchSize}`,
    );
  }
  if (!(shrinkage >= 0 && shrinkage <= 1)) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `MultivariateNormal.fit: \`shrinkage\` must be in [0, 1], got ${shrinkage}`,
    );
  }
  const shift = tf.tidy(() =>
    tf.mean(batchRows(data, { start: 0, count: Math.min(batchSize, n), d }), 0),
  );
  let sum: tf.Tensor = tf.zeros([d]);
  let scatter: tf.Tensor = tf.zeros([d, d]);
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const [nextSum, nextScatter] = tf.tidy(() => {
      const centred = tf.sub(batchRows(data, { start, count, d }), shift);
      return [
        tf.add(sum, tf.sum(centred, 0)),
        tf.add(scatter, tf.matMul(tf.transpose(centred), centred)),
      ];
    });
    tf.dispose([sum, scatter]);
    sum = nextSum!;
    scatter = nextScatter!;
  }
  const result = tf.tidy(() => {
    const offset = tf.div(sum, n);
    const raw = tf.sub(
      tf.div(scatter, n),
      tf.outerProduct(offset as tf.Tensor1D, offset as tf.Tensor1D),
    );
    // Symmetrize (float32 round-off) and shrink toward the diagonal.
    const symmetric = tf.mul(tf.add(raw, tf.transpose(raw)), 0.5);
    const diagonal = tf.linalg.bandPart(symmetric, 0, 0);
    const covariance =
      shrinkage === 0
        ? symmetric
        : tf.add(tf.mul(symmetric, 1 - shrinkage), tf.mul(diagonal, shrinkage));
    return { mean: tf.add(shift, offset) as tf.Tensor1D, covariance: covariance as tf.Tensor2D };
  });
  tf.dispose([shift, sum, scatter]);
  return result;
}
