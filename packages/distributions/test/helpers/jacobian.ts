// Finite-difference Jacobians of bijectors and their log-determinants, in float64 on the host.
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector } from '../../src/bijectors/bijector.js';

/** log |det A| of a square matrix by LU with partial pivoting. */
export function logAbsDet(matrix: readonly (readonly number[])[]): number {
  const a = matrix.map((row) => [...row]);
  const n = a.length;
  let result = 0;
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i]![k]!) > Math.abs(a[pivot]![k]!)) pivot = i;
    [a[k], a[pivot]] = [a[pivot]!, a[k]!];
    const diagonal = a[k]![k]!;
    if (diagonal === 0) return Number.NEGATIVE_INFINITY;
    result += Math.log(Math.abs(diagonal));
    for (let i = k + 1; i < n; i++) {
      const factor = a[i]![k]! / diagonal;
      for (let j = k; j < n; j++) a[i]![j]! -= factor * a[k]![j]!;
    }
  }
  return result;
}

/**
 * Central differences of `square(forward(x))` for one input x (flat, `inputShape`): row i of
 * the result is d square(y)_i / dx_j over j. `square` picks the free coordinates of y (all of
 * them by default); every perturbed input is pushed through one batched `forward`.
 */
export function numericJacobian(
  bijector: Bijector,
  x: { values: readonly number[]; shape: readonly number[] },
  options: { step: number; square?: (y: number[]) => number[] },
): number[][] {
  const { step, square = (y) => y } = options;
  const n = x.values.length;
  const rows: number[] = [];
  for (let j = 0; j < n; j++) {
    for (const sign of [1, -1]) {
      const shifted = [...x.values];
      shifted[j]! += sign * step;
      rows.push(...shifted);
    }
  }
  const outputs = tf.tidy(() => {
    const y = bijector.forward(tf.tensor(rows, [2 * n, ...x.shape]));
    return tf.reshape(y, [2 * n, -1]).arraySync() as number[][];
  });
  const columns = Array.from({ length: n }, (_, j) => {
    const plus = square(outputs[2 * j]!);
    const minus = square(outputs[2 * j + 1]!);
    return plus.map((value, i) => (value - minus[i]!) / (2 * step));
  });
  return columns[0]!.map((_, i) => columns.map((column) => column[i]!));
}
