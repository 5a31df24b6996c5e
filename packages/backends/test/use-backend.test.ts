// Runs in Node (cpu and wasm projects) and in Chromium (webgl and wasm projects):
// what useBackend does wherever it runs, on the suite's own backend.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { type BackendName, useBackend, VaeError } from '../src/index.js';

const testBackend = (process.env.VAE_TEST_BACKEND ?? 'cpu') as BackendName;

async function rejection(promise: Promise<unknown>): Promise<VaeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(VaeError.isInstance(error), `expected a VaeError, got ${String(error)}`).toBe(true);
  return error as VaeError;
}

function productWorks(): void {
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
  expectClose(product, [11]);
  product.dispose();
}

afterEach(async () => {
  await tf.setBackend(testBackend);
});

describe(`useBackend on ${testBackend}`, () => {
  it('starts the backend by name, reports it and computes with it', async () => {
    const info = await useBackend(testBackend);
    expect(info.name).toBe(testBackend);
    expect(tf.getBackend()).toBe(testBackend);
    expect(info.fellBackFrom).toEqual([]);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    productWorks();
  });

  it("'auto' skips what cannot start here, says why, and starts the next", async () => {
    // tensorflow never starts here: in a browser it runs only in Node, and the
    // test machines do not install @tensorflow/tfjs-node.
    const info = await useBackend('auto', { autoOrder: ['tensorflow', testBackend] });
    expect(info.name).toBe(testBackend);
    expect(info.fellBackFrom.map((f) => f.name)).toEqual(['tensorflow']);
    expect(info.fellBackFrom[0]!.reason).toMatch(/only in Node|not installed/);
    productWorks();
  });

  it('reports a backend whose package fails to load as BACKEND_UNAVAILABLE with the install line', async () => {
    const before = tf.getBackend();
    const missing = () =>
      Promise.reject(
        Object.assign(new Error('Cannot find package'), { code: 'ERR_MODULE_NOT_FOUND' }),
      );
    const error = await rejection(useBackend('webgpu', { importers: { webgpu: missing } }));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    // Without navigator.gpu it says so before importing; with it, what to install.
    expect(error.message).toMatch(
      /navigator\.gpu|`(npm install|pnpm add|yarn add|bun add) @tensorflow\/tfjs-backend-webgpu`/,
    );
    expect(tf.getBackend()).toBe(before);
  });

  it('refuses wasmPaths and threads it cannot apply, instead of ignoring them, and says to pass importers', async () => {
    const before = tf.getBackend();
    // What a bundled page that imported the wasm package statically gets: no module to call.
    const noModule = () => Promise.resolve({});
    for (const options of [{ wasmPaths: '/tfjs/' }, { threads: 2 }]) {
      const error = await rejection(
        useBackend('wasm', { importers: { wasm: noModule }, ...options }),
      );
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toContain(
        "pass `importers: { wasm: () => import('@tensorflow/tfjs-backend-wasm') }`",
      );
    }
    expect(tf.getBackend()).toBe(before);
  });

  it('rejects an unknown name and a bad thread count, naming what it accepts', async () => {
    const unknown = await rejection(useBackend('gpu' as BackendName));
    expect(unknown.code).toBe('INVALID_ARGUMENT');
    expect(unknown.message).toContain("got 'gpu'");
    expect(unknown.message).toContain("'webgl'");
    const threads = await rejection(useBackend(testBackend, { threads: 0 }));
    expect(threads.code).toBe('INVALID_ARGUMENT');
    expect(threads.message).toContain('`threads` must be an integer from 1 to 8, got 0');
  });
});
