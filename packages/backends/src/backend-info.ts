/**
 * A TensorFlow.js backend `useBackend` can start.
 *
 * - `'cpu'`: plain JavaScript, works everywhere, slowest.
 * - `'wasm'`: WebAssembly with XNNPACK (SIMD where supported); the fast choice without a GPU.
 * - `'webgl'` / `'webgpu'`: the GPU in a browser.
 * - `'tensorflow'`: the native libtensorflow binding from `@tensorflow/tfjs-node` (Node only).
 *
 * @example
 * ```ts
 * import { type BackendName, useBackend } from '@vae/backends';
 *
 * const name: BackendName = 'cpu';
 * await useBackend(name);
 * ```
 */
export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu' | 'tensorflow';

/**
 * What `useBackend` may be asked for: a backend, or `'auto'` for the fastest one that works here.
 *
 * @example
 * ```ts
 * import { type BackendRequest, useBackend } from '@vae/backends';
 *
 * const request = (process.env.VAE_BACKEND ?? 'auto') as BackendRequest;
 * console.log((await useBackend(request)).name);
 * ```
 */
export type BackendRequest = BackendName | 'auto';

/**
 * A backend that was tried and not used, with the reason.
 *
 * @example
 * ```ts
 * import { useBackend } from '@vae/backends';
 *
 * const { fellBackFrom } = await useBackend('auto');
 * for (const { name, reason } of fellBackFrom) console.warn(`skipped ${name}: ${reason}`);
 * ```
 */
export interface BackendFallback {
  /** The backend that was skipped. */
  name: BackendName;
  /** Why: the error it raised, with what to install. */
  reason: string;
}

/**
 * What `useBackend` started.
 *
 * @example
 * ```ts
 * import { type BackendInfo, useBackend } from '@vae/backends';
 *
 * const { name, simd, threads }: BackendInfo = await useBackend('auto');
 * console.log(`${name} simd=${simd} threads=${threads}`); // -> wasm simd=true threads=1
 * ```
 */
export interface BackendInfo {
  /** The backend now active (`tf.getBackend()`). */
  name: BackendName;
  /** Whether the backend runs SIMD code: the wasm SIMD build; `true` for `tensorflow`; otherwise `false`. */
  simd: boolean;
  /**
   * CPU threads the backend computes with: the XNNPACK pool for `wasm` (1 in Node unless `threads` asks for more), the
   * logical cores for `tensorflow`, 1 for `cpu`, `webgl` and `webgpu` (one JS thread driving it).
   */
  threads: number;
  /**
   * Why `wasm` runs fewer threads than `threads` asked for: the threaded build failed to
   * start in Node, the backend had already started, or the page is not cross-origin isolated.
   */
  threadsNote?: string;
  /** Backends tried before this one, in order, and why each was skipped (empty unless `'auto'`). */
  fellBackFrom: BackendFallback[];
}
