// FusedAdam's SIMD kernels (wat/fused-adam.wat) on tfjs's wasm backend: they run on
// the backend's own memory (through @vae/divergence/kernels) and work on tensors in
// place. With tfjs ops, Adam is ~11 elementwise kernels per parameter group, each a
// full pass over memory (and wasm's Sqrt is not vectorized); this is one pass. Other
// backends, and a wasm backend without SIMD, use the op-by-op path.
import type * as tf from '@tensorflow/tfjs-core';
import { type TensorOnHeap, wasmKernel, wasmKernels } from '@vae/divergence/kernels';
import { FUSED_ADAM_WASM } from './fused-adam-wasm.js';

export const ADAM_STEP_KERNEL = 'VaeFusedAdamStep';

/** Hyperparameters of one step; `stepSize` and `epsilonHat` carry the bias correction. */
export interface AdamStepAttributes {
  beta1: number;
  beta2: number;
  stepSize: number;
  epsilonHat: number;
  /** Gradient scale (clipping). */
  scale: number;
}

interface Kernels {
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    outW: number,
    outM: number,
    outV: number,
    n: number,
    beta1: number,
    beta2: number,
    stepSize: number,
    epsilonHat: number,
    scale: number,
  ): void;
  sumOfSquares(x: number, n: number): number;
}

const adamStep = wasmKernel<Kernels>(
  FUSED_ADAM_WASM,
  ADAM_STEP_KERNEL,
  ({ exports, offsetOf, output }, inputs, attrs) => {
    const { w, g, m, v } = inputs as Record<'w' | 'g' | 'm' | 'v', TensorOnHeap>;
    const { beta1, beta2, stepSize, epsilonHat, scale } = attrs as unknown as AdamStepAttributes;
    const outputs = [w, m, v].map((t) => output(t.shape));
    const [outW, outM, outV] = outputs.map(offsetOf) as [number, number, number];
    const n = w.shape.reduce((a, b) => a * b, 1);
    exports.adam(
      offsetOf(w),
      offsetOf(g),
      offsetOf(m),
      offsetOf(v),
      outW,
      outM,
      outV,
      n,
      beta1,
      beta2,
      stepSize,
      epsilonHat,
      scale,
    );
    return outputs;
  },
);

/** Whether {@link wasmAdamStep} and {@link wasmSumOfSquares} run on the active backend. */
export function wasmKernelsAvailable(): boolean {
  return wasmKernels<Kernels>(FUSED_ADAM_WASM) !== undefined;
}

/**
 * One Adam step of a float32 group in one pass (w of any shape, g, m and v flat):
 * [w, m, v] updated, w in its own shape; undefined off wasm.
 */
export function wasmAdamStep(
  tensors: { w: tf.Tensor; g: tf.Tensor1D; m: tf.Tensor1D; v: tf.Tensor1D },
  attributes: AdamStepAttributes,
): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] | undefined {
  if (Object.values(tensors).some((t) => t.dtype !== 'float32')) return undefined;
  return adamStep(tensors, { ...attributes }) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D] | undefined;
}

/** Σ x², accumulated in float64, for a float32 tensor on wasm; undefined off wasm. */
export function wasmSumOfSquares(x: tf.Tensor): number | undefined {
  const kernels = wasmKernels<Kernels>(FUSED_ADAM_WASM);
  if (kernels === undefined || x.dtype !== 'float32') return undefined;
  return kernels.exports.sumOfSquares(kernels.offsetOf(x), x.size);
}
