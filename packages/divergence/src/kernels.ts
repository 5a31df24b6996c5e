// `@vae/divergence/kernels`: building blocks for fused kernels, shared by the @vae
// packages: differentiable ops as registered tfjs kernels with gradient configs, and
// WebAssembly SIMD modules on the wasm backend's memory. Every public name is listed.

export type { TensorOnHeap } from './internal/tfjs-internals.js';
export { type KernelOpConfig, kernelOp } from './kernel-op.js';
export {
  type WasmBinaries,
  type WasmKernelContext,
  type WasmKernelFunction,
  type WasmKernels,
  wasmKernel,
  wasmKernels,
} from './wasm-kernels.js';
