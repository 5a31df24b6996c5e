import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '../vae-error.js';
import { factorPanel, transposeBlock } from './internal/host-blocks.js';
import {
  batchCount,
  resolveBlockSize,
  squareSize,
  transposeLast,
  withoutKernelLeakCheck,
} from './internal/shapes.js';
import { triangularSolve } from './triangular-solve.js';

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Columns per block (default 96): the trailing update is one untransposed matMul per block. */
  blockSize?: number;
}

function notPositiveDefinite(
  failure: { pivot: number; value: number },
  where: { offset: number; n: number; batch: number; batchTotal: number },
): VaeError {
  const index = where.offset + failure.pivot;
  const inBatch = where.batchTotal > 1 ? ` (batch element ${where.batch})` : '';
  return new VaeError(
    'NOT_POSITIVE_DEFINITE',
    `cholesky: the matrix is not positive definite${inBatch}: pivot ${index} of ${where.n} is ${failure.value} ` +
      '(it must be positive). Add a small `jitter` to the diagonal (e.g. `new MultivariateNormal({ loc, covarianceMatrix, jitter: 1e-5 })`, ' +
      'or `matrix + jitter * I`), or shrink the covariance toward its diagonal.',
  );
}

/** One block column: factor its top square on the host and solve the rows below, in float64. */
function factorBlockColumn(
  trailing: tf.Tensor3D,
  size: number,
  where: { offset: number; n: number },
): { column: tf.Tensor3D; below?: tf.Tensor3D; belowTransposed?: tf.Tensor3D } {
  const [batch, rows] = trailing.shape;
  const panel = Float64Array.from(
    tf.tidy(() => tf.slice(trailing, [0, 0, 0], [batch, rows, size])).dataSync(),
  );
  const length = rows * size;
  for (let b = 0; b < batch; b++) {
    const failure = factorPanel(panel.subarray(b * length, (b + 1) * length), { rows, size });
    if (failure) throw notPositiveDefinite(failure, { ...where, batch: b, batchTotal: batch });
  }
  const column = tf.tensor3d(Float32Array.from(panel), [batch, rows, size]);
  if (rows === size) return { column };
  const rest = rows - size;
  const transposed = new Float32Array(batch * rest * size);
  for (let b = 0; b < batch; b++) {
    const below = panel.subarray(b * length + size * size, (b + 1) * length);
    transposed.set(transposeBlock(below, { rows: rest, columns: size }), b * rest * size);
  }
  return {
    column,
    below: tf.slice(column, [0, size, 0], [batch, rest, size]),
    belowTransposed: tf.tensor3d(transposed, [batch, size, rest]),
  };
}

/** Right-looking blocked Cholesky of `[batch, n, n]`; only the lower triangle of `a` is read. */
function factor(a: tf.Tensor3D, blockSize: number): tf.Tensor3D {
  const [batch, n] = a.shape;
  const columns: tf.Tensor3D[] = [];
  let trailing = a;
  for (let k = 0; k < n; k += blockSize) {
    const size = Math.min(blockSize, n - k);
    const { column, below, belowTransposed } = factorBlockColumn(trailing, size, { offset: k, n });
    columns.push(
      tf.pad(column, [
        [0, 0],
        [k, 0],
        [0, 0],
      ]),
    );
    column.dispose();
    if (below && belowTransposed) {
      const rest = n - k - size;
      const next = tf.tidy(
        () =>
          tf.sub(
            tf.slice(trailing, [0, size, size], [batch, rest, rest]),
            tf.matMul(below, belowTransposed),
          ) as tf.Tensor3D,
      );
      tf.dispose([below, belowTransposed]);
      if (trailing !== a) trailing.dispose();
      trailing = next;
    }
  }
  if (trailing !== a) trailing.dispose();
  return columns.length === 1 ? columns[0]! : (tf.concat(columns, 2) as tf.Tensor3D);
}

/**
 * Cholesky factor L (lower triangular, positive diagonal) with L L^T = `matrix`,
 * by a blocked right-looking algorithm that runs on every tfjs backend: per
 * block of columns, the diagonal block and the panel below it are factored in
 * float64 on the host (one data read), and the trailing matrix is updated with
 * one untransposed matMul on the backend (fast on wasm). Float32 output.
 *
 * Only the lower triangle of `matrix` is read. Differentiable: the gradient is
 * the standard symmetric one, 1/2 (S + S^T) with S = L^-T Phi(L^T dL) L^-1, computed
 * with triangular solves (no inverse).
 *
 * Shapes: `[...batch, n, n]` -> `[...batch, n, n]`. The caller owns the result.
 *
 * @throws VaeError `NOT_POSITIVE_DEFINITE` naming the failing pivot; add a small
 *   jitter to the diagonal. `INVALID_ARGUMENT` for a non-square input.
 * @example
 * ```ts
 * const l = cholesky(tf.tensor2d([[4, 2], [2, 5]])); // [[2, 0], [1, 2]]
 * const big = cholesky(covariance, { blockSize: 128 }); // [2700, 2700] in well under a second on wasm
 * ```
 */
export function cholesky(matrix: tf.Tensor, options: CholeskyOptions = {}): tf.Tensor {
  const n = squareSize('cholesky', 'matrix', matrix);
  const blockSize = resolveBlockSize('cholesky', options.blockSize);
  const differentiable = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    const l = factor(a, blockSize);
    save([l]);
    return {
      value: l,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const lower = saved[0]!;
        const product = tf.matMul(transposeLast(lower), dy);
        const diagonalHalf = tf.mul(tf.linalg.bandPart(product, 0, 0), tf.scalar(0.5));
        const phi = tf.sub(tf.linalg.bandPart(product, -1, 0), diagonalHalf);
        const left = triangularSolve(lower, phi, { adjoint: true, blockSize });
        const s = transposeLast(
          triangularSolve(lower, transposeLast(left), { adjoint: true, blockSize }),
        );
        return tf.mul(tf.add(s, transposeLast(s)), tf.scalar(0.5));
      },
    };
  });
  return tf.tidy(() => {
    const batch = batchCount(matrix.shape);
    const square = tf.reshape(tf.cast(matrix, 'float32'), [batch, n, n]);
    return tf.reshape(
      withoutKernelLeakCheck(() => differentiable(square)),
      matrix.shape,
    );
  });
}
