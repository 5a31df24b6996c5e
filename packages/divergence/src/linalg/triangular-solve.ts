import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '../vae-error.js';
import { solveBlock } from './internal/host-blocks.js';
import {
  batchCount,
  resolveBlockSize,
  squareSize,
  transposeLast,
  withoutKernelLeakCheck,
} from './internal/shapes.js';

/** Options of {@link triangularSolve}. */
export interface TriangularSolveOptions {
  /** Whether `matrix` is lower triangular (default `true`); only that triangle is read. */
  lower?: boolean;
  /** Solve `matrix^T X = rhs` instead of `matrix X = rhs` (default `false`). */
  adjoint?: boolean;
  /** Rows per block (default 96): each block is one untransposed matMul on the backend. */
  blockSize?: number;
}

/**
 * Forward (L X = B) or backward (L^T X = B) substitution with a lower-triangular
 * L, both `[batch, n, *]` rank 3. Blocks of rows: the coupling to solved blocks
 * is one untransposed matMul; the small diagonal block is solved on the host in float64.
 */
function substitute(
  tril: tf.Tensor3D,
  rhs: tf.Tensor3D,
  options: { transpose: boolean; blockSize: number },
): tf.Tensor3D {
  const { transpose, blockSize } = options;
  const [batch, n] = tril.shape;
  const columns = rhs.shape[2];
  const starts: number[] = [];
  for (let k = 0; k < n; k += blockSize) starts.push(k);
  if (transpose) starts.reverse();
  const solved: tf.Tensor3D[] = [];
  for (const k of starts) {
    const size = Math.min(blockSize, n - k);
    // A tidy per block frees the coupling products at once (they are O(n m) each).
    const next = tf.tidy(() => {
      let block: tf.Tensor3D = tf.slice(rhs, [0, k, 0], [batch, size, columns]);
      if (solved.length > 0) {
        const ordered = transpose ? [...solved].reverse() : solved;
        const known = ordered.length === 1 ? ordered[0]! : tf.concat(ordered, 1);
        const coupling = transpose
          ? (transposeLast(
              tf.slice(tril, [0, k + size, k], [batch, n - k - size, size]),
            ) as tf.Tensor3D)
          : tf.slice(tril, [0, k, 0], [batch, size, k]);
        block = tf.sub(block, tf.matMul(coupling, known));
      }
      const diagonal = tf.slice(tril, [0, k, k], [batch, size, size]).dataSync();
      const values = Float64Array.from(block.dataSync());
      const blockLength = size * columns;
      for (let b = 0; b < batch; b++) {
        solveBlock(
          Float64Array.from(diagonal.subarray(b * size * size, (b + 1) * size * size)),
          values.subarray(b * blockLength, (b + 1) * blockLength),
          { size, columns, transpose },
        );
      }
      return tf.tensor3d(Float32Array.from(values), [batch, size, columns]);
    });
    solved.push(next);
  }
  if (transpose) solved.reverse();
  return solved.length === 1 ? solved[0]! : tf.concat(solved, 1);
}

/** Lower-triangular solve with its gradient: dB = solve(op(L)^T, dX), dL = -tril(dB X^T) (or its transpose). */
function differentiableSolve(
  tril: tf.Tensor3D,
  rhs: tf.Tensor3D,
  options: { transpose: boolean; blockSize: number },
): tf.Tensor3D {
  const solve = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [l, b, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
    const x = substitute(l, b, options);
    save([l, x]);
    return {
      value: x,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedL, savedX] = saved as [tf.Tensor3D, tf.Tensor3D];
        const dRhs = substitute(savedL, dy as tf.Tensor3D, {
          ...options,
          transpose: !options.transpose,
        });
        const outer = options.transpose
          ? tf.matMul(savedX, transposeLast(dRhs) as tf.Tensor3D)
          : tf.matMul(dRhs, transposeLast(savedX) as tf.Tensor3D);
        return [tf.neg(tf.linalg.bandPart(outer, -1, 0)), dRhs];
      },
    };
  });
  return withoutKernelLeakCheck(() => solve(tril, rhs) as tf.Tensor3D);
}

/**
 * Solves a triangular system `matrix X = rhs` (or `matrix^T X = rhs` with
 * `adjoint`) by blocked substitution, without forming any inverse. Runs on every
 * backend: each block couples to the solved blocks with one untransposed matMul
 * and the small diagonal block is solved in float64 on the host (a data read per
 * block). Differentiable in both arguments. Batched over leading axes.
 *
 * Shapes: `matrix` `[...batch, n, n]`, `rhs` `[...batch, n, m]` (the same
 * leading axes) -> `[...batch, n, m]`. Only the triangle named by `lower` is
 * read. The caller owns the result; inputs are not disposed.
 *
 * @example
 * ```ts
 * const l = tf.tensor2d([[2, 0], [1, 3]]);
 * const x = triangularSolve(l, tf.tensor2d([[2], [7]])); // [[1], [2]]
 * const y = triangularSolve(l, tf.tensor2d([[4], [6]]), { adjoint: true }); // solves L^T y = b
 * ```
 */
export function triangularSolve(
  matrix: tf.Tensor,
  rhs: tf.Tensor,
  options: TriangularSolveOptions = {},
): tf.Tensor {
  const n = squareSize('triangularSolve', 'matrix', matrix);
  const blockSize = resolveBlockSize('triangularSolve', options.blockSize);
  const rank = matrix.rank;
  const sameBatch =
    rhs.rank === rank && matrix.shape.slice(0, -2).every((size, i) => size === rhs.shape[i]);
  if (!sameBatch || rhs.shape[rank - 2] !== n) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `triangularSolve: \`rhs\` must be [...batch, ${n}, m] with the batch axes of \`matrix\` [${matrix.shape.join(', ')}], got shape [${rhs.shape.join(', ')}]`,
    );
  }
  const lower = options.lower ?? true;
  const adjoint = options.adjoint ?? false;
  return tf.tidy(() => {
    const batch = batchCount(matrix.shape);
    const m = rhs.shape[rank - 1]!;
    const square = tf.reshape(tf.cast(matrix, 'float32'), [batch, n, n]);
    // An upper-triangular U is the transpose of a lower one: U X = B is L^T X = B.
    const tril = (lower ? square : transposeLast(square)) as tf.Tensor3D;
    const transpose = lower ? adjoint : !adjoint;
    const x = differentiableSolve(tril, tf.reshape(tf.cast(rhs, 'float32'), [batch, n, m]), {
      transpose,
      blockSize,
    });
    return tf.reshape(x, rhs.shape);
  });
}
