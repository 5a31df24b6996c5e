/// <reference types="vite/client" />
// Vitest browser setup file: selects the tfjs backend of this vitest project
// (`webgl` or `wasm`), serves the wasm binaries through Vite, and registers
// tfjs-core's gradients (its bundles register none by themselves).
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, inject } from 'vitest';

declare module 'vitest' {
  interface ProvidedContext {
    vaeTestBackend: string;
  }
}

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
tf.env().set('IS_TEST', true);

const backend = inject('vaeTestBackend');

beforeAll(async () => {
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`browser test setup: backend '${backend}' failed to initialize`);
  }
  await tf.ready();
  if (backend === 'webgl') {
    // Fail loudly if WebGL fell back to something else: the tests must really run on WebGL.
    const version = tf.env().getNumber('WEBGL_VERSION');
    if (!(version >= 1))
      throw new Error(`browser test setup: WebGL unavailable (version ${version})`);
  }
});
