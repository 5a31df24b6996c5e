import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BackendRequest, useBackend, VaeError } from '../src/index.js';
import { nodeWasmFolder } from '../src/internal/wasm-setup.js';

const testBackend = process.env.VAE_TEST_BACKEND ?? 'cpu';

async function expectVaeError(promise: Promise<unknown>, code: string): Promise<VaeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(VaeError.isInstance(error), `expected a VaeError, got ${String(error)}`).toBe(true);
  expect((error as VaeError).code).toBe(code);
  return error as VaeError;
}

function matmulWorks(): void {
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
  expectClose(product, [11]);
  product.dispose();
}

// The install hint follows the package manager that runs us (pnpm sets this for
// `pnpm test`): the tests below that read "npm install" run as if under npm.
const userAgent = process.env.npm_config_user_agent;
beforeEach(() => {
  process.env.npm_config_user_agent = 'npm/10.8.2 node/v20.20.2 linux x64';
});

afterEach(async () => {
  delete process.env.VAE_BACKEND;
  if (userAgent === undefined) delete process.env.npm_config_user_agent;
  else process.env.npm_config_user_agent = userAgent;
  await tf.setBackend(testBackend);
});

describe('useBackend', () => {
  it('starts cpu and reports it', async () => {
    const info = await useBackend('cpu');
    expect(info).toEqual({ name: 'cpu', simd: false, threads: 1, fellBackFrom: [] });
    expect(tf.getBackend()).toBe('cpu');
    matmulWorks();
  });

  it('starts wasm single-threaded in Node and computes with it', async () => {
    const info = await useBackend('wasm');
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.threads).toBe(1);
    expect(typeof info.simd).toBe('boolean');
    matmulWorks();
  });

  it('finds the wasm binaries of the installed package in Node', async () => {
    const folder = await nodeWasmFolder();
    expect(folder).toMatch(/[/\\]$/);
    expect(existsSync(`${folder}tfjs-backend-wasm-simd.wasm`)).toBe(true);
    expect(existsSync(`${folder}tfjs-backend-wasm.wasm`)).toBe(true);
  });

  it('reads VAE_BACKEND when no name is given', async () => {
    process.env.VAE_BACKEND = 'cpu';
    expect((await useBackend()).name).toBe('cpu');
    process.env.VAE_BACKEND = ' WASM ';
    expect((await useBackend()).name).toBe('wasm');
  });

  it('prefers an explicit name over VAE_BACKEND', async () => {
    process.env.VAE_BACKEND = 'wasm';
    expect((await useBackend('cpu')).name).toBe('cpu');
  });

  it('rejects an unknown VAE_BACKEND, naming the variable and the value', async () => {
    process.env.VAE_BACKEND = 'cuda';
    const error = await expectVaeError(useBackend(), 'INVALID_ARGUMENT');
    expect(error.message).toContain('VAE_BACKEND');
    expect(error.message).toContain("'cuda'");
  });

  it('rejects an unknown name, listing the valid ones', async () => {
    const error = await expectVaeError(useBackend('gpu' as BackendRequest), 'INVALID_ARGUMENT');
    expect(error.message).toContain("got 'gpu'");
    expect(error.message).toContain("'wasm'");
  });

  it('says exactly what to install when @tensorflow/tfjs-node is absent', async () => {
    const before = tf.getBackend();
    const error = await expectVaeError(useBackend('tensorflow'), 'BACKEND_UNAVAILABLE');
    expect(error.message).toContain('not installed');
    // The command alone in backticks, the note after it.
    expect(error.message).toMatch(
      /install it with `npm install @tensorflow\/tfjs-node` \(its install script downloads libtensorflow/,
    );
    expect(tf.getBackend()).toBe(before);
  });

  it.each([
    ['pnpm/10.34.8 npm/? node/v20.20.2 linux x64', 'pnpm add @tensorflow/tfjs-node'],
    ['yarn/1.22.22 npm/? node/v20.20.2 linux x64', 'yarn add @tensorflow/tfjs-node'],
    ['bun/1.2.0 npm/? node/v20.20.2 linux x64', 'bun add @tensorflow/tfjs-node'],
    ['npm/10.8.2 node/v20.20.2 linux x64', 'npm install @tensorflow/tfjs-node'],
  ])('suggests the install command of the package manager in use (%s)', async (agent, command) => {
    process.env.npm_config_user_agent = agent;
    const error = await expectVaeError(useBackend('tensorflow'), 'BACKEND_UNAVAILABLE');
    expect(error.message).toContain(`install it with \`${command}\` (`);
  });

  it('auto falls back from tensorflow to wasm in Node and says why', async () => {
    const info = await useBackend('auto');
    expect(info.name).toBe('wasm');
    expect(info.fellBackFrom.map((f) => f.name)).toEqual(['tensorflow']);
    expect(info.fellBackFrom[0]!.reason).toContain('npm install @tensorflow/tfjs-node');
  });

  it('auto falls back to cpu when wasm cannot load, with a reason for each', async () => {
    const info = await useBackend('auto', {
      importers: {
        wasm: () => Promise.reject(new Error('wasm binary fetch failed: 404')),
      },
    });
    expect(info.name).toBe('cpu');
    expect(info.fellBackFrom.map((f) => f.name)).toEqual(['tensorflow', 'wasm']);
    expect(info.fellBackFrom[1]!.reason).toContain('wasm binary fetch failed: 404');
    expect(info.fellBackFrom[1]!.reason).toContain('npm install @tensorflow/tfjs-backend-wasm');
  });

  it('throws BACKEND_UNAVAILABLE listing every reason when auto finds nothing', async () => {
    const fail = () =>
      Promise.reject(Object.assign(new Error('nope'), { code: 'ERR_MODULE_NOT_FOUND' }));
    const error = await expectVaeError(
      useBackend('auto', { autoOrder: ['webgl', 'cpu'], importers: { webgl: fail, cpu: fail } }),
      'BACKEND_UNAVAILABLE',
    );
    expect(error.message).toContain('npm install @tensorflow/tfjs-backend-webgl');
    expect(error.message).toContain('npm install @tensorflow/tfjs-backend-cpu');
  });

  it('reports a missing WebGPU without importing anything', async () => {
    let imported = false;
    const error = await expectVaeError(
      useBackend('webgpu', {
        importers: {
          webgpu: async () => {
            imported = true;
          },
        },
      }),
      'BACKEND_UNAVAILABLE',
    );
    expect(error.message).toContain('navigator.gpu');
    expect(imported).toBe(false);
  });
});
