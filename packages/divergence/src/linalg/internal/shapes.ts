import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '../../vae-error.js';

/** Default block size of the blocked factorizations: large enough for fast matMuls, small host blocks. */
export const DEFAULT_BLOCK_SIZE = 96;

/** Checks a block size option and returns it (or the default). */
export function resolveBlockSize(name: string, blockSize: number | undefined): number {
  const size = blockSize ?? DEFAULT_BLOCK_SIZE;
  if (!Number.isInteger(size) || size < 1) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `${name}: \`blockSize\` must be a positive integer, got ${String(blockSize)}`,
    );
  }
  return size;
}

/** Checks that `matrix` is `[...batch, n, n]` and returns n. */
export function squareSize(name: string, argument: string, matrix: tf.Tensor): number {
  const rank = matrix.rank;
  const n = matrix.shape[rank - 1];
  if (rank < 2 || n !== matrix.shape[rank - 2]) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `${name}: \`${argument}\` must be a square matrix [...batch, n, n], got shape [${matrix.shape.join(', ')}]`,
    );
  }
  return n!;
}

/** Swaps the last two axes. */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const rank = x.rank;
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return tf.transpose(x, perm);
}

/** Product of the leading (batch) dimensions of a `[...batch, r, c]` shape. */
export function batchCount(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((a, b) => a * b, 1);
}
