import * as tf from '@tensorflow/tfjs-core';
import { kernelOp } from '../kernel-op.js';
import { VaeError } from '../vae-error.js';
import { factorPanel, transposeBlock } from './internal/host-blocks.js';
import { batchCount, resolveBlockSize, squareSize, transposeLast } from './internal/shapes.js';
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

/** Copies the `rows` x `columns` block at (top, left) of each n x n matrix of `values`. */
function hostBlock(
  values: Float64Array,
  at: { batch: number; n: number; top: number; left: number; rows: number; columns: number },
): Float64Array {
  const { batch, n, top, left, rows, columns } = at;
  const out = new Float64Array(batch * rows * columns);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows; i++) {
      const from = b * n * n + (top + i) * n + left;
      out.set(values.subarray(from, from + columns), (b * rows + i) * columns);
    }
  }
  return out;
}

/**
 * Right-looking blocked Cholesky of `[batch, n, n]` driven from the host: the working
 * matrix lives on the host in float64 (read once); per block of columns the diagonal block
 * and the panel below it are factored on the host, and the trailing update L21 L21^T is one
 * untransposed matMul on the backend. Only the lower triangle of `a` is read.
 */
function factor(a: tf.Tensor3D, blockSize: number): tf.Tensor3D {
  const [batch, n] = a.shape;
  const work = Float64Array.from(a.dataSync());
  const lower = new Float32Array(batch * n * n);
  for (let k = 0; k < n; k += blockSize) {
    const size = Math.min(blockSize, n - k);
    const rows = n - k;
    const rest = rows - size;
    const panel = hostBlock(work, { batch, n, top: k, left: k, rows, columns: size });
    const length = rows * size;
    for (let b = 0; b < batch; b++) {
      const failure = factorPanel(panel.subarray(b * length, (b + 1) * length), { rows, size });
      if (failure) {
        throw notPositiveDefinite(failure, { offset: k, n, batch: b, batchTotal: batch });
      }
      for (let i = 0; i < rows; i++) {
        const from = b * length + i * size;
        lower.set(panel.subarray(from, from + size), b * n * n + (k + i) * n + k);
      }
    }
    if (rest === 0) continue;
    const below = new Float32Array(batch * rest * size);
    for (let b = 0; b < batch; b++) {
      below.set(panel.subarray(b * length + size * size, (b + 1) * length), b * rest * size);
    }
    const belowTransposed = new Float32Array(batch * rest * size);
    for (let b = 0; b < batch; b++) {
      const block = below.subarray(b * rest * size, (b + 1) * rest * size);
      belowTransposed.set(transposeBlock(block, { rows: rest, columns: size }), b * rest * size);
    }
    // Read back outside tidy: tidy walks whatever it returns, typed arrays element by element.
    const productTensor = tf.tidy(() =>
      tf.matMul(
        tf.tensor3d(below, [batch, rest, size]),
        tf.tensor3d(belowTransposed, [batch, size, rest]),
      ),
    );
    const product = productTensor.dataSync();
    productTensor.dispose();
    // Trailing update of the lower triangle only.
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < rest; i++) {
        const row = b * n * n + (k + size + i) * n + k + size;
        const productRow = (b * rest + i) * rest;
        for (let j = 0; j <= i; j++) work[row + j]! -= product[productRow + j]!;
      }
    }
  }
  return tf.tensor3d(lower, [batch, n, n]);
}

/** The factor, with its gradient (Murray 2016): dA = sym(L^-T Phi(L^T dL) L^-1) / 2. */
const choleskyOp = kernelOp<{ blockSize: number }>({
  kernelName: 'VaeCholesky',
  forward: ({ a }, { blockSize }) => [factor(a as tf.Tensor3D, blockSize)],
  outputsToSave: [true],
  gradient: ([dy], [lower], { blockSize }) => ({
    a: () => {
      const l = lower as tf.Tensor3D;
      const product = tf.matMul(transposeLast(l), dy!);
      const diagonalHalf = tf.mul(tf.linalg.bandPart(product, 0, 0), tf.scalar(0.5));
      const phi = tf.sub(tf.linalg.bandPart(product, -1, 0), diagonalHalf);
      const left = triangularSolve(l, phi, { adjoint: true, blockSize });
      const s = transposeLast(
        triangularSolve(l, transposeLast(left), { adjoint: true, blockSize }),
      );
      return tf.mul(tf.add(s, transposeLast(s)), tf.scalar(0.5));
    },
  }),
});

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
 * @param matrix - Symmetric positive definite matrices, shape `[...batch, n, n]`.
 * @param options - `blockSize`: columns factored per block on the host.
 * @returns L, shape `[...batch, n, n]`.
 * @throws VaeError `NOT_POSITIVE_DEFINITE` naming the failing pivot; add a small
 *   jitter to the diagonal. `INVALID_ARGUMENT` for a non-square input.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cholesky } from '@vae/divergence';
 *
 * cholesky(tf.tensor2d([[4, 2], [2, 5]])).print(); // -> [[2, 0], [1, 2]]
 *
 * // A larger covariance, factored in blocks of 64 columns:
 * const a = tf.randomNormal([200, 200], 0, 1, 'float32', 0.7);
 * const covariance = tf.add(tf.matMul(a, a, false, true), tf.mul(tf.eye(200), 200));
 * const l = cholesky(covariance, { blockSize: 64 }); // [200, 200], lower triangular
 * ```
 */
export function cholesky(matrix: tf.Tensor, options: CholeskyOptions = {}): tf.Tensor {
  const n = squareSize('cholesky', 'matrix', matrix);
  const blockSize = resolveBlockSize('cholesky', options.blockSize);
  return tf.tidy(() => {
    const batch = batchCount(matrix.shape);
    const square = tf.reshape(tf.cast(matrix, 'float32'), [batch, n, n]);
    return tf.reshape(choleskyOp({ a: square }, { blockSize })[0]!, matrix.shape);
  });
}
