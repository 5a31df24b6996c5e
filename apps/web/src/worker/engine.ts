// Starts the worker's one tfjs backend with @vae/backends' useBackend: the wasm
// binaries served by Vite, each backend package a lazy chunk, and a thread per
// logical core for wasm when the page is cross-origin isolated (useBackend lifts
// tfjs's own cap of half the cores).
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendInfo, type BackendName, useBackend } from '@vae/backends';
import { BACKEND_LABELS, type BackendReply, type PageBackend } from '../shared/protocol.ts';

const importers: Partial<Record<BackendName, () => Promise<unknown>>> = {
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
};

const wasmPaths = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

/** The most XNNPACK threads @vae/backends accepts. */
const MAX_THREADS = 8;

/** Threads for wasm: what was asked, else every logical core (1 without isolation). */
export function wasmThreads(requested: number | undefined): number {
  if (!globalThis.crossOriginIsolated) return 1;
  const cores = navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(MAX_THREADS, requested ?? cores));
}

/** Starts `name`; throws useBackend's VaeError (a clear message) when it cannot. */
export async function startBackend(
  name: PageBackend,
  threads: number | undefined,
): Promise<BackendReply> {
  // For wasm, useBackend itself lifts tfjs's cap of half of `navigator.hardwareConcurrency`.
  const info = await useBackend(name, {
    importers,
    wasmPaths,
    ...(name === 'wasm' && { threads: wasmThreads(threads) }),
  });
  if (name === 'webgpu') await checkWebGpu();
  return { name, description: describeBackend(info), threads: info.threads };
}

/** tfjs's WebGPU backend can register without an adapter; one kernel proves it runs. */
async function checkWebGpu(): Promise<void> {
  const probe = tf.tidy(() => tf.add(tf.ones([2]), 1));
  try {
    await probe.data();
  } finally {
    probe.dispose();
  }
}

/** One line saying what runs: `WASM (SIMD, 2 threads)`. */
function describeBackend(info: BackendInfo): string {
  const label = BACKEND_LABELS[info.name as PageBackend] ?? info.name;
  const details: string[] = [];
  if (info.name === 'wasm') {
    details.push(
      info.simd ? 'SIMD' : 'no SIMD',
      `${info.threads} thread${info.threads === 1 ? '' : 's'}`,
    );
  }
  if (info.name === 'webgl') {
    details.push(`WebGL ${tf.env().getNumber('WEBGL_VERSION')}`);
    if (!tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) details.push('float16');
  }
  return details.length > 0 ? `${label} (${details.join(', ')})` : label;
}

/** The WebGL backend's context; tfjs keeps it on `backend.gpgpu.gl` (not public API). */
function webGlContext(): WebGL2RenderingContext | undefined {
  if (tf.getBackend() !== 'webgl') return undefined;
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } };
  return backend.gpgpu?.gl;
}

/**
 * Calls `onLost` when the WebGL backend's context is lost (GPU reset, driver
 * crash, too many contexts, or `WEBGL_lose_context`). The context is also put on
 * `self.vaeWorkerDebug.webglContext()` so the end-to-end test can lose it.
 */
export function watchWebGlContext(onLost: () => void): void {
  const gl = webGlContext();
  const canvas = gl?.canvas;
  if (gl === undefined || canvas === undefined || !('addEventListener' in canvas)) return;
  canvas.addEventListener('webglcontextlost', (event) => {
    event.preventDefault();
    onLost();
  });
  Object.assign(globalThis, { vaeWorkerDebug: { webglContext: () => gl } });
}
