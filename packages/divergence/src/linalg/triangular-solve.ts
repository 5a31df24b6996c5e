import * as tf from '@tensorflow/tfjs-core';
import { kernelOp } from '../kernel-op.js';
import { VaeError } from '../vae-error.js';
import { copyBlock, solveBlock } from './internal/host-blocks.js';
import { batchCount, resolveBlockSize, squareSize, transposeLast } from './internal/shapes.js';

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
 * L, both `[batch, n, *]` rank 3, driven from the host: L and B are read once, and per
 * block of rows the coupling to the solved blocks is one untransposed matMul on the
 * backend (its operands uploaded from the host), then the small diagonal block is solved
 * on the host in float64.
 */
function substitute(
  tril: tf.Tensor3D,
  rhs: tf.Tensor3D,
  options: { transpose: boolean; blockSize: number },
): tf.Tensor3D {
  const { transpose, blockSize } = options;
  const [batch, n] = tril.shape;
  const columns = rhs.shape[2];
  const lValues = tril.dataSync() as Float32Array;
  const result = Float64Array.from(rhs.dataSync());
  const starts: number[] = [];
  for (let k = 0; k < n; k += blockSize) starts.push(k);
  if (transpose) starts.reverse();
  const solved: tf.Tensor3D[] = [];
  for (const k of starts) {
    const size = Math.min(blockSize, n - k);
    const block = new Float64Array(batch * size * columns);
    for (let b = 0; b < batch; b++) {
      const from = (b * n + k) * columns;
      block.set(result.subarray(from, from + size * columns), b * size * columns);
    }
    if (solved.length > 0) {
      // Rows solved so far: [0, k) forward, [k + size, n) backward.
      const span = transpose ? n - k - size : k;
      const coupling = transpose
        ? copyBlock(lValues, { batch, n, top: k + size, left: k, rows: span, columns: size }, true)
        : copyBlock(lValues, { batch, n, top: k, left: 0, rows: size, columns: span });
      // Read back outside tidy: tidy walks whatever it returns, typed arrays element by element.
      const productTensor = tf.tidy(() => {
        const ordered = transpose ? [...solved].reverse() : solved;
        const known = ordered.length === 1 ? ordered[0]! : tf.concat(ordered, 1);
        return tf.matMul(tf.tensor3d(coupling, [batch, size, span]), known);
      });
      const product = productTensor.dataSync();
      productTensor.dispose();
      for (let i = 0; i < block.length; i++) block[i]! -= product[i]!;
    }
    const blockLength = size * columns;
    for (let b = 0; b < batch; b++) {
      const diagonal = copyBlock(lValues.subarray(b * n * n), {
        batch: 1,
        n,
        top: k,
        left: k,
        rows: size,
        columns: size,
      });
      const own = block.subarray(b * blockLength, (b + 1) * blockLength);
      solveBlock(Float64Array.from(diagonal), own, { size, columns, transpose });
      result.set(own, (b * n + k) * columns);
    }
    solved.push(tf.tensor3d(Float32Array.from(block), [batch, size, columns]));
  }
  tf.dispose(solved);
  return tf.tensor3d(Float32Array.from(result), [batch, n, columns]);
}

/** The attributes of the solve kernel: `transpose` solves op(L) = L^T. */
type SolveAttributes = { transpose: boolean; blockSize: number };

/** Lower-triangular solve with its gradient: dB = solve(op(L)^T, dX), dL = -tril(dB X^T) (or its transpose). */
const solveOp = kernelOp<SolveAttributes>({
  kernelName: 'VaeTriangularSolve',
  forward: ({ l, b }, options) => [substitute(l as tf.Tensor3D, b as tf.Tensor3D, options)],
  inputsToSave: ['l'],
  outputsToSave: [true],
  gradient: ([dy], [savedL, savedX], options) => {
    const dRhs = substitute(savedL as tf.Tensor3D, dy as tf.Tensor3D, {
      ...options,
      transpose: !options.transpose,
    });
    const x = savedX as tf.Tensor3D;
    return {
      l: () => {
        const outer = options.transpose
          ? tf.matMul(x, transposeLast(dRhs) as tf.Tensor3D)
          : tf.matMul(dRhs, transposeLast(x) as tf.Tensor3D);
        return tf.neg(tf.linalg.bandPart(outer, -1, 0));
      },
      b: () => dRhs,
    };
  },
});

function differentiableSolve(
  tril: tf.Tensor3D,
  rhs: tf.Tensor3D,
  options: SolveAttributes,
): tf.Tensor3D {
  return solveOp({ l: tril, b: rhs }, options)[0] as tf.Tensor3D;
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
 * @param matrix - Triangular matrices, shape `[...batch, n, n]`, nonzero diagonal.
 * @param rhs - Right-hand sides, shape `[...batch, n, m]`.
 * @param options - `lower` (default `true`), `adjoint` (default `false`), `blockSize`.
 * @returns X, shape `[...batch, n, m]`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { triangularSolve } from '@vae/divergence';
 *
 * const l = tf.tensor2d([[2, 0], [1, 3]]);
 * // x with L x = b, then y with L^T y = b:
 * triangularSolve(l, tf.tensor2d([[2], [7]])).print(); // -> [[1], [2]]
 * triangularSolve(l, tf.tensor2d([[4], [6]]), { adjoint: true }).print(); // -> [[1], [2]]
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
