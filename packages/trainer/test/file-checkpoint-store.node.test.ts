import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint } from '../src/index.js';
import { VaeError } from '../src/index.js';

// Lets a test make the next write to a temporary file fail after `afterBytes` bytes,
// the way a full disk or a killed process leaves a half-written file.
const failure = vi.hoisted(() => ({ afterBytes: -1 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (path, flags, mode) => {
    const handle = await actual.open(path, flags, mode);
    if (failure.afterBytes < 0 || flags !== 'wx') return handle;
    const limit = failure.afterBytes;
    return new Proxy(handle, {
      get(target, property) {
        if (property === 'writeFile') {
          return async (buffer: Uint8Array) => {
            await target.write(buffer, 0, Math.min(buffer.length, limit));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
            });
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return { ...actual, open };
});

function checkpoint(step: number): Checkpoint {
  const weights = new Float32Array([step, step + 0.5, -step]);
  return {
    format: 'vae-checkpoint',
    version: 2,
    state: {
      epoch: 0,
      batchInEpoch: step,
      step,
      seed: 1,
      batchSize: 4,
      dataSize: 40,
      epochLossSum: 0,
      epochExamples: 0,
      epochMetricSums: {},
      history: [],
      best: null,
      epochsWithoutImprovement: 0,
      optimizer: 'SGD',
    },
    weightSpecs: [{ name: 'model/0', shape: [3], dtype: 'float32' }],
    weightData: weights.buffer,
  };
}

let directory: string;
// Test files share a worker (vitest's isolate: false), so another file may have loaded
// the store with the real fs already: load a fresh copy that sees the mock above.
let fileCheckpointStore: typeof import('../src/node.js').fileCheckpointStore;
beforeAll(async () => {
  vi.resetModules();
  ({ fileCheckpointStore } = await import('../src/node.js'));
});

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vae-trainer-'));
});
afterEach(async () => {
  failure.afterBytes = -1;
  await rm(directory, { recursive: true, force: true });
});

async function expectCorrupt(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(VaeError.isInstance(error) && error.code).toBe('CHECKPOINT_CORRUPT');
  return (error as Error).message;
}

describe('fileCheckpointStore', () => {
  it('returns undefined before the first save, then the latest checkpoint', async () => {
    const store = fileCheckpointStore(join(directory, 'nested', 'run.ckpt'));
    expect(await store.load()).toBeUndefined();
    await store.save(checkpoint(1));
    await store.save(checkpoint(2));
    const loaded = await store.load();
    expect(loaded?.state.step).toBe(2);
    // the weights come back in a buffer of their own (readFile returns a pooled Buffer view)
    expect(loaded?.weightData.byteLength).toBe(12);
    expect(Array.from(new Float32Array(loaded!.weightData))).toEqual([2, 2.5, -2]);
    expect(await readdir(join(directory, 'nested'))).toEqual(['run.ckpt', 'run.ckpt.prev']);
  });

  it('leaves the old checkpoint intact when a write fails midway', async () => {
    const store = fileCheckpointStore(join(directory, 'run.ckpt'));
    await store.save(checkpoint(1));
    const before = await readFile(store.path);
    failure.afterBytes = 40;
    await expect(store.save(checkpoint(2))).rejects.toThrow('ENOSPC');
    failure.afterBytes = -1;
    expect(await readFile(store.path)).toEqual(before);
    expect((await store.load())?.state.step).toBe(1);
    expect(await readdir(directory)).toEqual(['run.ckpt']); // the partial temp file is gone
  });

  it('detects a corrupt file, naming it and the previous checkpoint', async () => {
    const store = fileCheckpointStore(join(directory, 'run.ckpt'));
    await store.save(checkpoint(1));
    await store.save(checkpoint(2));
    const bytes = await readFile(store.path);
    bytes[bytes.length - 10]! ^= 0xff;
    await writeFile(store.path, bytes);
    const message = await expectCorrupt(store.load());
    expect(message).toContain(store.path);
    expect(message).toContain(store.previousPath);
    const lenient = fileCheckpointStore(store.path, { onCorrupt: 'previous' });
    expect((await lenient.load())?.state.step).toBe(1);
  });

  it("refuses a FIFO or a device in the checkpoint's place at once, never waiting on it", async () => {
    const path = join(directory, 'run.ckpt');
    execFileSync('mkfifo', [path]);
    expect(await expectCorrupt(fileCheckpointStore(path).load())).toContain(
      `${path} is not a regular file`,
    );
    await rm(path);
    await symlink('/dev/zero', path);
    expect(await expectCorrupt(fileCheckpointStore(path).load())).toContain(
      `${path} is not a regular file`,
    );
  });

  it('detects a truncated file', async () => {
    const store = fileCheckpointStore(join(directory, 'run.ckpt'));
    await store.save(checkpoint(3));
    const bytes = await readFile(store.path);
    await writeFile(store.path, bytes.subarray(0, bytes.length - 5));
    await expectCorrupt(store.load());
  });

  it('falls back to the previous checkpoint when a crash came between the renames', async () => {
    const store = fileCheckpointStore(join(directory, 'run.ckpt'));
    await store.save(checkpoint(1));
    await store.save(checkpoint(2));
    await rm(store.path); // the state right after `path` was renamed to `.prev`
    expect((await store.load())?.state.step).toBe(1);
  });
});
