// Small dense kernels on the host, in float64, for the diagonal blocks of the
// blocked Cholesky and triangular solves. Each works on row-major blocks of at
// most `blockSize` rows: the O(n^3) work stays in tfjs matMuls on the backend,
// and these kernels only see O(n^2 * blockSize) flops in total.

/** Where a diagonal block failed to factor: the pivot index inside the block and its value. */
export interface PivotFailure {
  pivot: number;
  value: number;
}

/**
 * Factors the leading `size` x `size` block of `panel` (row-major, `rows` x `size`,
 * rows >= size) as L11 L11^T and solves the rows below it for L21 = A21 L11^-T,
 * in place. Returns the first failing pivot, or undefined when positive definite.
 */
export function factorPanel(
  panel: Float64Array,
  shape: { rows: number; size: number },
): PivotFailure | undefined {
  const { rows, size } = shape;
  for (let j = 0; j < size; j++) {
    let pivot = panel[j * size + j]!;
    for (let k = 0; k < j; k++) {
      const v = panel[j * size + k]!;
      pivot -= v * v;
    }
    if (!(pivot > 0) || !Number.isFinite(pivot)) return { pivot: j, value: pivot };
    const diagonal = Math.sqrt(pivot);
    panel[j * size + j] = diagonal;
    for (let i = j + 1; i < rows; i++) {
      let sum = panel[i * size + j]!;
      for (let k = 0; k < j; k++) sum -= panel[i * size + k]! * panel[j * size + k]!;
      panel[i * size + j] = sum / diagonal;
    }
    for (let k = j + 1; k < size; k++) panel[j * size + k] = 0;
  }
  return undefined;
}

/**
 * Solves T X = B in place for a `size` x `size` triangular block T (row-major,
 * lower triangle of `tril` used) and B (row-major, `size` x `columns`).
 * `transpose: true` solves L^T X = B (backward substitution) instead of L X = B.
 */
export function solveBlock(
  tril: Float64Array,
  rhs: Float64Array,
  shape: { size: number; columns: number; transpose: boolean },
): void {
  const { size, columns, transpose } = shape;
  if (!transpose) {
    for (let i = 0; i < size; i++) {
      const row = i * columns;
      for (let k = 0; k < i; k++) {
        const factor = tril[i * size + k]!;
        if (factor === 0) continue;
        const other = k * columns;
        for (let c = 0; c < columns; c++) rhs[row + c]! -= factor * rhs[other + c]!;
      }
      const diagonal = tril[i * size + i]!;
      for (let c = 0; c < columns; c++) rhs[row + c]! /= diagonal;
    }
    return;
  }
  for (let i = size - 1; i >= 0; i--) {
    const row = i * columns;
    for (let k = i + 1; k < size; k++) {
      const factor = tril[k * size + i]!;
      if (factor === 0) continue;
      const other = k * columns;
      for (let c = 0; c < columns; c++) rhs[row + c]! -= factor * rhs[other + c]!;
    }
    const diagonal = tril[i * size + i]!;
    for (let c = 0; c < columns; c++) rhs[row + c]! /= diagonal;
  }
}

/** Transposes a row-major `rows` x `columns` block into a new array. */
export function transposeBlock(
  values: Float64Array | Float32Array,
  shape: { rows: number; columns: number },
): Float32Array {
  const { rows, columns } = shape;
  const out = new Float32Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) out[j * rows + i] = values[i * columns + j]!;
  }
  return out;
}

/**
 * Copies the block `rows` x `columns` at (`top`, `left`) of each of `batch` row-major
 * `n` x `n` matrices in `values` (`transpose` writes each block transposed), as float32
 * `[batch, rows, columns]` (or `[batch, columns, rows]`). Host copies replace tf.slice,
 * which copies its whole input on wasm and walks it element by element on cpu.
 */
export function copyBlock(
  values: Float32Array,
  at: { batch: number; n: number; top: number; left: number; rows: number; columns: number },
  transpose = false,
): Float32Array {
  const { batch, n, top, left, rows, columns } = at;
  const source = values;
  const out = new Float32Array(batch * rows * columns);
  for (let b = 0; b < batch; b++) {
    const base = b * n * n;
    const outBase = b * rows * columns;
    for (let i = 0; i < rows; i++) {
      const from = base + (top + i) * n + left;
      if (!transpose) {
        out.set(source.subarray(from, from + columns), outBase + i * columns);
      } else {
        for (let j = 0; j < columns; j++) out[outBase + j * rows + i] = source[from + j]!;
      }
    }
  }
  return out;
}
