// Plain float64 linear algebra for checking the tfjs implementations.
import { seededUniform } from '../src/index.js';

/** A seeded uniform generator on [0, 1): the package's own. */
export function seededRandom(seed: number): () => number {
  return seededUniform(seed);
}

/** A random SPD matrix A = B B^T / n + ridge I, row-major n x n, in float64. */
export function randomSpd(n: number, options: { seed: number; ridge?: number }): Float64Array {
  const random = seededRandom(options.seed);
  const b = new Float64Array(n * n).map(() => random() * 2 - 1);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += b[i * n + k]! * b[j * n + k]!;
      a[i * n + j] = sum / n;
      a[j * n + i] = sum / n;
    }
    a[i * n + i]! += options.ridge ?? 0.5;
  }
  return a;
}

/** Unblocked float64 Cholesky (row-major), throws if not positive definite. */
export function choleskyF64(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let pivot = a[j * n + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * n + k]! ** 2;
    if (!(pivot > 0)) throw new Error(`choleskyF64: pivot ${j} is ${pivot}`);
    const diagonal = Math.sqrt(pivot);
    l[j * n + j] = diagonal;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = sum / diagonal;
    }
  }
  return l;
}

/** Solves L x = b (or L^T x = b) for one vector, float64. */
export function solveVectorF64(
  l: Float64Array,
  b: readonly number[],
  options: { n: number; transpose?: boolean },
): number[] {
  const { n } = options;
  const x = [...b];
  if (options.transpose) {
    for (let i = n - 1; i >= 0; i--) {
      for (let k = i + 1; k < n; k++) x[i]! -= l[k * n + i]! * x[k]!;
      x[i]! /= l[i * n + i]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < i; k++) x[i]! -= l[i * n + k]! * x[k]!;
      x[i]! /= l[i * n + i]!;
    }
  }
  return x;
}
