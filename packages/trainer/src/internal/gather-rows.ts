// Batches of tensorData on tfjs's wasm backend as whole-row copies (wat/gather-rows.wat)
// instead of tfjs's Gather kernel, which indexes element by element: ~4 ms of CPU
// for 128 MNIST rows here, where a training step of the 784-400-20 VAE takes ~14 ms.
import type * as tf from '@tensorflow/tfjs-core';
import { type TensorOnHeap, wasmKernel } from '@vae/divergence/kernels';
import { GATHER_ROWS_WASM } from './gather-rows-wasm.js';

export const GATHER_ROWS_KERNEL = 'VaeGatherRows';

interface Kernels {
  gatherRows(x: number, indices: number, out: number, rows: number, rowBytes: number): void;
}

/** Bytes per element of the dtypes the row copy handles (tfjs's wasm backend layout). */
const BYTES: Partial<Record<tf.DataType, number>> = { float32: 4, int32: 4 };

const gatherRowsKernel = wasmKernel<Kernels>(
  GATHER_ROWS_WASM,
  GATHER_ROWS_KERNEL,
  ({ exports, offsetOf, output }, inputs) => {
    const { x, indices } = inputs as Record<'x' | 'indices', TensorOnHeap>;
    const rows = indices.shape[0]!;
    const rowShape = x.shape.slice(1);
    const out = output([rows, ...rowShape], x.dtype);
    const rowBytes = rowShape.reduce((a, b) => a * b, 1) * BYTES[x.dtype]!;
    exports.gatherRows(offsetOf(x), offsetOf(indices), offsetOf(out), rows, rowBytes);
    return [out];
  },
);

/**
 * `tf.gather(x, indices)` along axis 0 as row copies on the wasm backend: the rows of
 * `x` [n, ...] at `indices` (int32 [rows], every one an integer in [0, n), which the
 * caller checks) as a new tensor [rows, ...]. Undefined on another backend and for
 * dtypes or empty shapes it does not handle; the caller then uses `tf.gather`. Like any
 * data loading, it is not differentiable (no gradient is registered for it).
 */
export function wasmGatherRows(x: tf.Tensor, indices: tf.Tensor1D): tf.Tensor | undefined {
  if (BYTES[x.dtype] === undefined || indices.dtype !== 'int32') return undefined;
  if (x.rank === 0 || x.size === 0 || indices.size === 0) return undefined;
  return gatherRowsKernel({ x, indices }, {})?.[0];
}
