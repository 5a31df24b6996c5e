// FusedAdam's SIMD kernels (wat/fused-adam.wat) on tfjs's wasm backend: they
// import the backend's own memory and work on tensors in place. With tfjs ops,
// Adam is ~11 elementwise kernels per parameter group, each a full pass over
// memory (and wasm's Sqrt is not vectorized); this is one pass. Other backends,
// and a wasm backend without SIMD, use the op-by-op path.
import * as tf from '@tensorflow/tfjs-core';
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

interface TensorInfo {
  dataId: object;
  shape: number[];
  dtype: tf.DataType;
}

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackendLike {
  wasm: { wasmMemory?: unknown; asm?: Record<string, unknown> };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
}

const compiled = new WeakMap<object, Kernels | null>();

function memoryOf(backend: WasmBackendLike): WebAssembly.Memory | undefined {
  // The threaded build keeps its (shared) memory on the module; the plain one exports it.
  const candidates = [backend.wasm.wasmMemory, ...Object.values(backend.wasm.asm ?? {})];
  return candidates.find((m): m is WebAssembly.Memory => m instanceof WebAssembly.Memory);
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function instantiate(backend: WasmBackendLike): Kernels | null {
  const memory = memoryOf(backend);
  if (memory === undefined || typeof WebAssembly === 'undefined') return null;
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  try {
    // A few hundred bytes: synchronous compilation is allowed on every main thread.
    const module = new WebAssembly.Module(
      decode(shared ? FUSED_ADAM_WASM.shared : FUSED_ADAM_WASM.plain),
    );
    return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Kernels;
  } catch {
    return null; // no SIMD here, or a memory this build does not expect
  }
}

/** The kernels for the active backend, or undefined when it is not wasm or cannot run them. */
function kernelsOfActiveBackend(): { kernels: Kernels; backend: WasmBackendLike } | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as WasmBackendLike;
  if (typeof backend.makeOutput !== 'function' || backend.dataIdMap === undefined) return undefined;
  let kernels = compiled.get(backend);
  if (kernels === undefined) {
    kernels = instantiate(backend);
    compiled.set(backend, kernels);
  }
  return kernels === null ? undefined : { kernels, backend };
}

function offsetOf(backend: WasmBackendLike, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error('FusedAdam: a tensor is not on the wasm backend');
  return data.memoryOffset;
}

function registerStepKernel(): void {
  if (tf.getKernel(ADAM_STEP_KERNEL, 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: ADAM_STEP_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasmBackend = backend as unknown as WasmBackendLike;
      const kernels = compiled.get(wasmBackend);
      if (kernels == null) throw new Error(`${ADAM_STEP_KERNEL}: the SIMD kernels are not loaded`);
      const { w, g, m, v } = inputs as unknown as Record<'w' | 'g' | 'm' | 'v', TensorInfo>;
      const { beta1, beta2, stepSize, epsilonHat, scale } = attrs as unknown as AdamStepAttributes;
      const outputs = [w, m, v].map((t) => wasmBackend.makeOutput(t.shape, 'float32'));
      const [outW, outM, outV] = outputs.map((t) => offsetOf(wasmBackend, t)) as [
        number,
        number,
        number,
      ];
      const n = w.shape.reduce((a, b) => a * b, 1);
      kernels.adam(
        offsetOf(wasmBackend, w),
        offsetOf(wasmBackend, g),
        offsetOf(wasmBackend, m),
        offsetOf(wasmBackend, v),
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
  });
}

/** Whether {@link wasmAdamStep} and {@link wasmSumOfSquares} run on the active backend. */
export function wasmKernelsAvailable(): boolean {
  return kernelsOfActiveBackend() !== undefined;
}

/** One Adam step of a flat float32 group in one pass: [w, m, v] updated, or undefined off wasm. */
export function wasmAdamStep(
  tensors: { w: tf.Tensor1D; g: tf.Tensor1D; m: tf.Tensor1D; v: tf.Tensor1D },
  attributes: AdamStepAttributes,
): [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D] | undefined {
  if (Object.values(tensors).some((t) => t.dtype !== 'float32')) return undefined;
  if (kernelsOfActiveBackend() === undefined) return undefined;
  registerStepKernel();
  return tf
    .engine()
    .runKernel(
      ADAM_STEP_KERNEL,
      tensors as unknown as tf.NamedTensorMap,
      attributes as never,
    ) as unknown as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
}

/** Σ x², accumulated in float64, for a float32 tensor on wasm; undefined off wasm. */
export function wasmSumOfSquares(x: tf.Tensor): number | undefined {
  const active = kernelsOfActiveBackend();
  if (active === undefined || x.dtype !== 'float32') return undefined;
  const data = active.backend.dataIdMap.get(x.dataId);
  return data === undefined ? undefined : active.kernels.sumOfSquares(data.memoryOffset, x.size);
}
