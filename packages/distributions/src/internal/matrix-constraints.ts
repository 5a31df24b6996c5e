// Constraints on matrices (the last two axes): Cholesky factors and positive definite matrices
// (Cholesky factors of correlation matrices are `corrCholesky` in constraints.ts). Each check
// returns one flag per matrix `[...batch]`; the positive-definite check factors every matrix on
// the host in float64 (validation only).
import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from './constraints.js';

/** Square along the last two axes, rank >= 2. */
function isSquare(x: tf.Tensor): boolean {
  return x.rank >= 2 && x.shape[x.rank - 1] === x.shape[x.rank - 2];
}

function perMatrix(x: tf.Tensor, test: (m: Float64Array, n: number) => boolean): tf.Tensor {
  const n = x.shape[x.rank - 1]!;
  const data = Float64Array.from(x.dataSync());
  const count = data.length / (n * n);
  const flags = new Uint8Array(count);
  for (let b = 0; b < count; b++)
    flags[b] = test(data.subarray(b * n * n, (b + 1) * n * n), n) ? 1 : 0;
  return tf.tensor(flags, x.shape.slice(0, -2), 'bool');
}

/** Zero above the diagonal, positive finite diagonal. */
function isLowerCholesky(m: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = m[i * n + j]!;
      if (!Number.isFinite(v) || (j > i && v !== 0) || (j === i && !(v > 0))) return false;
    }
  }
  return true;
}

/** Symmetric within float32 rounding and factorable by Cholesky in float64. */
function isPositiveDefinite(m: Float64Array, n: number): boolean {
  let scale = 0;
  for (const v of m) {
    if (!Number.isFinite(v)) return false;
    scale = Math.max(scale, Math.abs(v));
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(m[i * n + j]! - m[j * n + i]!) > 1e-5 * scale + 1e-7) return false;
    }
  }
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let pivot = m[j * n + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * n + k]! ** 2;
    if (!(pivot > 0)) return false;
    l[j * n + j] = Math.sqrt(pivot);
    for (let i = j + 1; i < n; i++) {
      let sum = m[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = sum / l[j * n + j]!;
    }
  }
  return true;
}

function matrixConstraint(
  description: string,
  test: (m: Float64Array, n: number) => boolean,
): Constraint {
  return {
    description,
    eventRank: 2,
    check: (x) => (isSquare(x) ? perMatrix(x, test) : tf.fill(x.shape.slice(0, -2), 0, 'bool')),
  };
}

/** Lower triangular with a positive diagonal (a Cholesky factor). */
export const lowerCholesky = matrixConstraint(
  'lower triangular with a positive diagonal (a Cholesky factor)',
  isLowerCholesky,
);

/** Symmetric positive definite. */
export const positiveDefinite = matrixConstraint('symmetric positive definite', isPositiveDefinite);
