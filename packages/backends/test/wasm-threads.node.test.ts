import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend, VaeError } from '../src/index.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/wasm-threads.ts', import.meta.url));

/** Starts wasm with `threads` in a fresh Node process (a backend starts once per process). */
async function startInFreshProcess(threads: number) {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=@vae/source', fixture, String(threads)],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 60_000 },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  return JSON.parse(line ?? 'null') as {
    info: { name: string; threads: number; threadsNote?: string };
    maxError: number;
  };
}

describe('useBackend wasm threads in Node', () => {
  it('runs a pool of 2 threads, computes the same product as cpu, and lets the process exit', async () => {
    // execFile rejects on a non-zero exit and on the timeout: a pool that kept
    // Node alive would fail here.
    const { info, maxError } = await startInFreshProcess(2);
    expect(info.name).toBe('wasm');
    expect(info.threads).toBe(2);
    expect(info.threadsNote).toBeUndefined();
    expect(maxError).toBeLessThan(1e-4);
  }, 90_000);

  it('stays single-threaded by default', async () => {
    const { info, maxError } = await startInFreshProcess(1);
    expect(info.threads).toBe(1);
    expect(maxError).toBeLessThan(1e-4);
  }, 90_000);

  it('rejects a thread count that is not an integer from 1 to 8', async () => {
    for (const threads of [0, 9, 1.5, Number.NaN]) {
      const error = await useBackend('wasm', { threads }).catch((e: unknown) => e);
      expect(VaeError.isInstance(error)).toBe(true);
      expect((error as VaeError).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(/`threads` must be an integer from 1 to 8/);
    }
  });

  it('says so when wasm already started and threads can no longer change', async () => {
    await useBackend('wasm');
    const info = await useBackend('wasm', { threads: 2 });
    expect(info.threads).toBe(1);
    expect(info.threadsNote).toMatch(/already started/);
    await tf.setBackend(process.env.VAE_TEST_BACKEND ?? 'cpu');
  });
});
