import * as tf from '@tensorflow/tfjs-core';
import {
  runKernel,
  type TensorOnHeap,
  type WasmHeap,
  wasmHeapOf,
} from './internal/tfjs-internals.js';

/**
 * A WebAssembly module that imports its memory as `env.memory`, compiled (base64) for
 * each memory tfjs's wasm backend can have: `plain` (the single-threaded build) and
 * `shared` (the threaded build's shared memory).
 *
 * @example
 * ```ts
 * import type { WasmBinaries } from '@vae/divergence/kernels';
 * const binaries: WasmBinaries = { plain: 'AGFzbQEAAAA=', shared: 'AGFzbQEAAAA=' };
 * ```
 */
export interface WasmBinaries {
  readonly plain: string;
  readonly shared: string;
}

/** What a kernel of {@link WasmKernels.run} gets: the module and the backend's memory. */
export interface WasmKernelContext<E> {
  /** The module's exports, instantiated on the backend's memory. */
  readonly exports: E;
  /** Byte offset of a tensor's data in the backend's memory. */
  offsetOf(tensor: TensorOnHeap): number;
  /** A new float32 (or other) output, allocated by the backend; the kernel fills it. */
  output(shape: number[], dtype?: tf.DataType): TensorOnHeap;
}

/** A kernel function of {@link WasmKernels.run}: outputs from the inputs, on the heap. */
export type WasmKernelFunction<E> = (
  context: WasmKernelContext<E>,
  inputs: Record<string, TensorOnHeap>,
  attrs: tf.NamedAttrMap,
) => TensorOnHeap[];

/**
 * A WebAssembly module of your own instantiated on the wasm backend's memory, from
 * {@link wasmKernels}: call its functions on tensors where the backend keeps them.
 */
export interface WasmKernels<E> {
  /** The module's exports, instantiated on the backend's memory. */
  readonly exports: E;
  /** Byte offset of a tensor's data in the backend's memory (the tensor is not copied). */
  offsetOf(tensor: tf.Tensor): number;
}

const instances = new WeakMap<object, Map<WasmBinaries, object | null>>();

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function instanceOf<E>(backend: object, heap: WasmHeap, binaries: WasmBinaries): E | undefined {
  let byBinaries = instances.get(backend);
  if (byBinaries === undefined) {
    byBinaries = new Map();
    instances.set(backend, byBinaries);
  }
  let exports = byBinaries.get(binaries);
  if (exports === undefined) {
    const shared =
      typeof SharedArrayBuffer !== 'undefined' && heap.memory.buffer instanceof SharedArrayBuffer;
    try {
      // Small modules: synchronous compilation is allowed on every main thread.
      const module = new WebAssembly.Module(decode(shared ? binaries.shared : binaries.plain));
      exports = new WebAssembly.Instance(module, { env: { memory: heap.memory } }).exports;
    } catch {
      exports = null; // no SIMD here, or a memory this build does not expect
    }
    byBinaries.set(binaries, exports);
  }
  return (exports ?? undefined) as E | undefined;
}

function contextOf<E>(backend: object, binaries: WasmBinaries): WasmKernelContext<E> | undefined {
  const heap = wasmHeapOf(backend);
  const exports = heap === undefined ? undefined : instanceOf<E>(backend, heap, binaries);
  if (heap === undefined || exports === undefined) return undefined;
  return {
    exports,
    offsetOf: (tensor) => heap.offsetOf(tensor),
    output: (shape, dtype = 'float32') => heap.makeOutput(shape, dtype),
  };
}

/**
 * Instantiates `binaries` (a WebAssembly SIMD module importing `env.memory`) on the
 * memory of tfjs's wasm backend, when that is the active backend, so its functions
 * read and write tensors in place. `undefined` on any other backend, or where the
 * module cannot run (no SIMD); callers then use tfjs ops. Compiled once per backend.
 * {@link wasmKernel} makes a kernel of it that returns ordinary tensors.
 *
 * @param binaries The module, compiled for tfjs's plain and shared memories.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { wasmKernels } from '@vae/divergence/kernels';
 * await tf.setBackend('wasm');
 * // (module (import "env" "memory" (memory 1))  ;; "(memory 1 65536 shared)" for `shared`
 * //   (func (export "first") (param i32) (result f32) (f32.load (local.get 0))))
 * const FIRST = {
 *   plain: 'AGFzbQEAAAABBgFgAX8BfQIPAQNlbnYGbWVtb3J5AgABAwIBAAcJAQVmaXJzdAAACgkBBwAgACoCAAs=',
 *   shared: 'AGFzbQEAAAABBgFgAX8BfQISAQNlbnYGbWVtb3J5AgMBgIAEAwIBAAcJAQVmaXJzdAAACgkBBwAgACoCAAs=',
 * };
 * const x = tf.tensor1d([4, 5]);
 * const kernels = wasmKernels<{ first(offset: number): number }>(FIRST);
 * const first = kernels === undefined ? x.dataSync()[0] : kernels.exports.first(kernels.offsetOf(x));
 * console.log(first); // -> 4
 * ```
 */
export function wasmKernels<E>(binaries: WasmBinaries): WasmKernels<E> | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const context = contextOf<E>(tf.backend(), binaries);
  if (context === undefined) return undefined;
  return {
    exports: context.exports,
    offsetOf: (tensor) => context.offsetOf(tensor as unknown as TensorOnHeap),
  };
}

/**
 * A kernel of the wasm backend written with `binaries` (see {@link wasmKernels}):
 * `kernel` computes the outputs on the backend's memory, registered as `kernelName`
 * the first time it runs, so the outputs are ordinary tensors the caller owns. The
 * returned function gives `undefined` where the module cannot run (another backend,
 * no SIMD). Like any kernel, it is recorded for a gradient only if one is registered
 * under `kernelName`.
 *
 * @param binaries The module, compiled for tfjs's plain and shared memories.
 * @param kernelName The kernel's name, unique in the process (prefix it with your library's).
 * @param kernel Computes the outputs from the inputs on the backend's memory.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { wasmKernel } from '@vae/divergence/kernels';
 * await tf.setBackend('wasm');
 * // A module exporting double(from, to, n): to[i] = 2 * from[i] over n floats (its text is
 * // in packages/divergence/test/wasm-kernels.test.ts).
 * const double = wasmKernel<{ double(from: number, to: number, n: number): void }>(
 *   {
 *     plain:
 *       'AGFzbQEAAAABBwFgA39/fwACDwEDZW52Bm1lbW9yeQIAAQMCAQAHCgEGZG91YmxlAAAKOAE2AQF/AkADQCADIAJPDQEgASADQQJ0akMAAABAIAAgA0ECdGoqAgCUOAIAIANBAWohAwwACwsL',
 *     shared:
 *       'AGFzbQEAAAABBwFgA39/fwACEgEDZW52Bm1lbW9yeQIDAYCABAMCAQAHCgEGZG91YmxlAAAKOAE2AQF/AkADQCADIAJPDQEgASADQQJ0akMAAABAIAAgA0ECdGoqAgCUOAIAIANBAWohAwwACwsL',
 *   },
 *   'ExampleDouble',
 *   ({ exports, offsetOf, output }, { x }) => {
 *     const y = output(x!.shape);
 *     exports.double(offsetOf(x!), offsetOf(y), x!.shape.reduce((a, b) => a * b, 1));
 *     return [y];
 *   },
 * );
 * const x = tf.tensor1d([1, 2]);
 * const [y] = double({ x }, {}) ?? [tf.mul(x, 2)];
 * y!.print(); // -> [2, 4]
 * ```
 */
export function wasmKernel<E>(
  binaries: WasmBinaries,
  kernelName: string,
  kernel: WasmKernelFunction<E>,
): (inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap) => tf.Tensor[] | undefined {
  return (inputs, attrs) => {
    if (tf.getBackend() !== 'wasm' || contextOf<E>(tf.backend(), binaries) === undefined) {
      return undefined;
    }
    if (tf.getKernel(kernelName, 'wasm') === undefined) {
      tf.registerKernel({
        kernelName,
        backendName: 'wasm',
        kernelFunc: ({ inputs: given, attrs: options, backend }) => {
          const context = contextOf<E>(backend as object, binaries);
          if (context === undefined)
            throw new Error(`${kernelName}: the wasm module cannot run here`);
          return kernel(
            context,
            given as unknown as Record<string, TensorOnHeap>,
            options ?? {},
          ) as unknown as tf.TensorInfo[];
        },
      });
    }
    const outputs = runKernel(kernelName, inputs, attrs);
    return Array.isArray(outputs) ? outputs : [outputs];
  };
}
