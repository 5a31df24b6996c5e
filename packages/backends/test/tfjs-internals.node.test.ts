// The contract of src/internal/tfjs-internals.ts: what @vae/backends relies on in
// tfjs-backend-wasm beyond its public API, checked against the installed version. A
// failure names the version and what changed (see the peer ranges in package.json).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tfjsContract } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { THREADED_BUILD } from '../src/internal/tfjs-internals.js';

const contract = tfjsContract('@vae/backends');
const require = createRequire(import.meta.url);
const fixture = fileURLToPath(new URL('./fixtures/wasm-threads.ts', import.meta.url));

describe('tfjs-backend-wasm internals @vae/backends relies on', () => {
  it('ships the Emscripten pthread worker source and the self-contained glue script', () => {
    let contents: unknown;
    try {
      contents = (require(THREADED_BUILD.worker) as { wasmWorkerContents?: unknown })
        .wasmWorkerContents;
    } catch (error) {
      contents = error;
    }
    contract(
      typeof contents === 'string' && contents.includes('worker_threads'),
      `${THREADED_BUILD.worker} (its wasmWorkerContents)`,
      'starting the threaded wasm build in Node',
    );
    let glue: string | undefined;
    try {
      glue = require.resolve(THREADED_BUILD.glue);
    } catch {
      glue = undefined;
    }
    contract(glue !== undefined, THREADED_BUILD.glue, 'starting the threaded wasm build in Node');
  });

  it("sizes the threaded build's pool from navigator.hardwareConcurrency in a browser", () => {
    // liftBrowserCoreCount answers that read while the backend starts.
    const glue = readFileSync(require.resolve(THREADED_BUILD.glue), 'utf8');
    const logicalCores = /function _emscripten_num_logical_cores\(\)\{([^}]*)\}/.exec(glue)?.[1];
    contract(
      logicalCores?.includes('return navigator["hardwareConcurrency"]') === true,
      `${THREADED_BUILD.glue} (_emscripten_num_logical_cores: ${logicalCores ?? 'not found'})`,
      "useBackend('wasm', { threads }) in a browser",
    );
  });

  it('starts the threaded build in a fresh process, and tells started from not started', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--conditions=@vae/source', fixture, '2'],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 60_000 },
    );
    const result = JSON.parse(stdout.split('\n').find((l) => l.startsWith('{')) ?? 'null') as {
      info: { threads: number; threadsNote?: string };
      startedBefore: boolean;
      startedAfter: boolean;
    };
    contract(
      !result.startedBefore && result.startedAfter,
      `getThreadsCount() before and after the start (gave ${result.startedBefore}, ${result.startedAfter})`,
      "knowing whether wasm's paths and threads can still be set",
    );
    contract(
      result.info.threads === 2 && result.info.threadsNote === undefined,
      `the threaded build's start in Node (${result.info.threadsNote ?? `${result.info.threads} thread(s)`})`,
      "useBackend('wasm', { threads }) in Node",
    );
    expect(result.info.threads).toBe(2);
  }, 90_000);
});
