// The backend picker's logic: starts a backend with @vae/backends' useBackend,
// with the wasm binaries served by Vite and each backend package a lazy chunk.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendInfo, type BackendName, useBackend } from '@vae/backends';

/** The backends the page offers, in the picker's order. */
export const PAGE_BACKENDS = ['webgl', 'wasm', 'cpu', 'webgpu'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

export const BACKEND_LABELS: Record<PageBackend, string> = {
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
  webgpu: 'WebGPU',
};

/** Whether this browser exposes WebGPU at all (the picker hides it otherwise). */
export function hasWebGpu(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator;
}

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

/**
 * Makes `name` the active backend. Throws the VaeError of useBackend (with a
 * clear message) when it cannot start; the previous backend stays active then.
 */
export async function startBackend(name: PageBackend): Promise<BackendInfo> {
  const previous = tf.getBackend();
  try {
    return await useBackend(name, { importers, wasmPaths });
  } catch (error) {
    if (previous !== undefined && previous !== name) await tf.setBackend(previous);
    throw error;
  }
}

/** One line saying what runs: `WASM (SIMD, 2 threads)`. */
export function describeBackend(info: BackendInfo): string {
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

/**
 * Calls `onLost` when the WebGL backend's context is lost (GPU reset, driver
 * crash, too many contexts). Returns a function that stops listening.
 */
export function watchWebGlContext(onLost: () => void): () => void {
  if (tf.getBackend() !== 'webgl') return () => {};
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } };
  const canvas = backend.gpgpu?.gl?.canvas;
  if (canvas === undefined || !('addEventListener' in canvas)) return () => {};
  const listener = (event: Event) => {
    event.preventDefault();
    onLost();
  };
  canvas.addEventListener('webglcontextlost', listener);
  return () => canvas.removeEventListener('webglcontextlost', listener);
}
