// Every use of TensorFlow.js internals in @vae/divergence, and nothing else (issue 9).
// test/tfjs-internals.test.ts checks each against the installed tfjs-core and names what
// broke; the peer range in package.json (~4.22.0) is what that test covers.
//
// 1. `tf.engine().runKernel(name, inputs, attrs)`: runs a kernel registered by name, the
//    mechanism tfjs's "custom ops, kernels and gradients" guide describes. Our ops are
//    registered with the public `tf.registerKernel` / `tf.registerGradient`.
// 3. A registered kernel's `kernelFunc` gets the very tensors passed to `runKernel` and
//    may return tensors; the ops it runs are not recorded on the gradient tape (the
//    engine is inside a kernel), and the engine's test-mode leak check (`IS_TEST`) runs
//    before it saves the tensors the gradient config asks for. So a kernel can be built
//    from tfjs ops, with the gradient as a registered config.
// 4. tfjs-backend-wasm's `BackendWasm`: its WebAssembly memory (`wasm.wasmMemory` in the
//    threaded build, an exported `Memory` in the plain one), where a tensor's data lives
//    (`dataIdMap.get(dataId).memoryOffset`, a byte offset) and `makeOutput(shape, dtype)`
//    (new data allocated by the backend). SIMD kernels of our own run on that memory.
// 2. tfjs-core's package layout: `dist/register_all_gradients.js` is an ES module whose
//    relative imports have no extension, in a package without "type": "module", so plain
//    Node cannot import it. A resolve hook scoped to that folder loads it.
//
// Keep this file self-contained (tfjs-core is its only import; Node built-ins load
// dynamically): a test transpiles it alone and runs it in a plain Node child process, and
// browser bundles must never see a `node:` import.
import * as tf from '@tensorflow/tfjs-core';

/** Runs the kernel registered as `kernelName` for the active backend (1 above). */
export function runKernel(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap = {},
): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor | tf.Tensor[];
}

/**
 * Registers `forward` (tfjs ops on the inputs, run in a `tidy`) as the kernel
 * `kernelName` of `backendName`, unless one is registered already (3).
 */
export function registerOpKernel(
  kernelName: string,
  backendName: string,
  forward: (inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap) => tf.Tensor[],
): void {
  if (tf.getKernel(kernelName, backendName) !== undefined) return;
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: ({ inputs, attrs }) =>
      tf.tidy(() =>
        forward(inputs as unknown as Record<string, tf.Tensor>, attrs ?? {}),
      ) as unknown as tf.TensorInfo[],
  });
}

/** A tensor on the wasm backend, as kernels see it. */
export interface TensorOnHeap {
  dataId: object;
  shape: number[];
  dtype: tf.DataType;
}

/** The memory of tfjs's wasm backend and where tensors live in it (4). */
export interface WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the tensor's data. */
  offsetOf(tensor: TensorOnHeap): number;
  /** A new tensor's data, allocated by the backend (its values are not initialized). */
  makeOutput(shape: number[], dtype: tf.DataType): TensorOnHeap;
}

/** The parts of tfjs-backend-wasm's BackendWasm used here (4). */
interface WasmBackendLike {
  wasm?: { wasmMemory?: unknown; asm?: Record<string, unknown> };
  dataIdMap?: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput?(shape: number[], dtype: tf.DataType): TensorOnHeap;
}

const heaps = new WeakMap<object, WasmHeap | null>();

function findHeap(backend: WasmBackendLike): WasmHeap | null {
  const { dataIdMap, makeOutput } = backend;
  if (dataIdMap === undefined || typeof makeOutput !== 'function') return null;
  // The threaded build keeps its (shared) memory on the module; the plain one exports it.
  const candidates = [backend.wasm?.wasmMemory, ...Object.values(backend.wasm?.asm ?? {})];
  const memory = candidates.find((m): m is WebAssembly.Memory => m instanceof WebAssembly.Memory);
  if (memory === undefined) return null;
  return {
    memory,
    offsetOf(tensor) {
      const data = dataIdMap.get(tensor.dataId);
      if (data === undefined)
        throw new Error('a tensor given to a wasm kernel is not on the wasm backend');
      return data.memoryOffset;
    },
    makeOutput: (shape, dtype) => makeOutput.call(backend, shape, dtype),
  };
}

/** The heap of `backend` when it is tfjs's wasm backend as this file knows it (4). */
export function wasmHeapOf(backend: object): WasmHeap | undefined {
  let heap = heaps.get(backend);
  if (heap === undefined) {
    heap = typeof WebAssembly === 'undefined' ? null : findHeap(backend as WasmBackendLike);
    heaps.set(backend, heap);
  }
  return heap ?? undefined;
}

/** The gradients' entry file, which registers every gradient of tfjs-core as it loads (2). */
export const REGISTER_ALL_GRADIENTS = '@tensorflow/tfjs-core/dist/register_all_gradients.js';

/**
 * Imports that file the way bundlers (Vite, webpack, esbuild) and vitest resolve it:
 * they handle its extensionless imports themselves (2).
 */
export async function importAllGradients(): Promise<void> {
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
}

/** The resolve hook, as module source; it touches only tfjs-core's ESM files (2). */
export const TFJS_CORE_ESM_HOOK = `
const DIST = '/@tensorflow/tfjs-core/dist/';
const BUNDLE = /\\/dist\\/tf-core[^/]*\\.js$/;
const isRelative = (s) => s.startsWith('./') || s.startsWith('../');
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  if (parent.includes(DIST) && !BUNDLE.test(parent) && isRelative(specifier) && !/\\.[cm]?js$/.test(specifier)) {
    return { ...(await next(specifier + '.js', context)), format: 'module' };
  }
  const resolved = await next(specifier, context);
  const path = resolved.url.split('?')[0];
  if (path.includes(DIST) && path.endsWith('.js') && !BUNDLE.test(path)) {
    return { ...resolved, format: 'module' };
  }
  return resolved;
}
`;

interface NodeModuleApi {
  createRequire(from: string): { resolve(specifier: string): string };
  register?(specifier: string, parentURL?: string): void;
}

interface NodeUrlApi {
  pathToFileURL(path: string): URL;
}

function importNode(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

let hookRegistered = false;

/**
 * Loads tfjs-core's `register_all_gradients.js` (the copy that `from` resolves to) in
 * Node through a resolve hook scoped to tfjs-core's `dist/` folder (2). Needs Node >=
 * 20.6 (`module.register`). The gradients register in tfjs's global registry, which
 * the CommonJS bundle Node loads for `@tensorflow/tfjs-core` shares. Rejects with a
 * plain `Error` that says why.
 */
export async function registerGradientsInNode(from: string): Promise<void> {
  const nodeModule = (await importNode('node:module')) as NodeModuleApi;
  const { pathToFileURL } = (await importNode('node:url')) as NodeUrlApi;
  if (typeof nodeModule.register !== 'function') {
    throw new Error(
      `module.register is missing (Node ${(globalThis as { process?: { version?: string } }).process?.version}); Node >= 20.6 is needed`,
    );
  }
  const file = nodeModule.createRequire(from).resolve(REGISTER_ALL_GRADIENTS);
  if (!hookRegistered) {
    nodeModule.register(`data:text/javascript,${encodeURIComponent(TFJS_CORE_ESM_HOOK)}`);
    hookRegistered = true;
  }
  // The query gives a fresh module URL: an earlier failed plain import of the same
  // file (the bundler path of ensureGradients) stays cached as an error in Node.
  await importNode(`${pathToFileURL(file).href}?vae-register-gradients`);
}
