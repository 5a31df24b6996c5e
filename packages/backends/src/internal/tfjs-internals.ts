// Every use of TensorFlow.js internals in @vae/backends, and nothing else (issue 9).
// test/tfjs-internals.node.test.ts checks each against the installed packages and names
// what broke; the peer ranges in package.json (~4.22.0) are what that test covers.
//
// 1. Whether the wasm backend has started: tfjs-backend-wasm's `getThreadsCount()` throws
//    until the backend is initialized. (`tf.findBackend` would start it as a side effect.)
// 2. The threaded build in Node. tfjs-backend-wasm ships a multithreaded build (XNNPACK on
//    a pthread pool) but never loads it in Node (tensorflow/tfjs#3830): its pthread
//    workers are created from blob: URLs, which Node's Worker refuses, and the script each
//    worker loads is a Blob of a bundled function that references its bundle's scope. The
//    raw Emscripten outputs it also ships (wasm-out/: the worker source as
//    `wasmWorkerContents`, the self-contained glue script) work in Node once each worker is
//    started from source text and told to load the glue script (the `load` message of
//    Emscripten's pthread protocol), with `os.cpus()` lifted past tfjs's half-the-cores
//    cap. This file does that for the duration of the backend's start, and nothing after.
// 3. The same cap in a browser: the threaded build sizes XNNPACK's pool at half of
//    `navigator.hardwareConcurrency` (its `_emscripten_num_logical_cores`), whatever
//    `setThreadsCount` asks, so a 2-core machine runs one thread. While the backend
//    starts, `navigator` reports twice the threads asked.
import * as tf from '@tensorflow/tfjs-core';
import { importOptional } from './runtime.js';
import type { WasmModule } from './wasm-setup.js';

/** The name tfjs registers the wasm backend under. */
const WASM = 'wasm';

/** Whether the wasm backend has already started, so its paths and threads are fixed (1). */
export function wasmStarted(wasm: WasmModule): boolean {
  if (tf.getBackend() === WASM) return true;
  if (typeof wasm.getThreadsCount !== 'function') return false;
  try {
    wasm.getThreadsCount();
    return true;
  } catch {
    return false;
  }
}

const WORKER_MODULE =
  '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
const GLUE_SCRIPT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
/** tfjs sizes its pool at half the logical cores (it assumes two per physical core) and at most 8. */
export const MAX_WASM_THREADS = 8;
/** The files of tfjs-backend-wasm the threaded start in Node loads (2). */
export const THREADED_BUILD = { worker: WORKER_MODULE, glue: GLUE_SCRIPT } as const;

interface NodeRequire {
  (specifier: string): unknown;
  resolve(specifier: string): string;
}

interface OsModule {
  cpus(): unknown[];
}

/** The part of Node's `worker_threads.Worker` used here (typed locally: this package builds without Node's types). */
interface NodeWorker {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  unref(): void;
  terminate(): Promise<number>;
}
type WorkerOptions = Record<string, unknown>;

interface PthreadMessage {
  cmd?: string;
  urlOrBlob?: unknown;
}

/** Undoes what {@link prepareNodeWasmThreads} patched, once the backend's start settled. */
export interface NodeWasmThreads {
  /** `started`: whether the backend came up; if not, the next start is single-threaded again. */
  finish(started: boolean): void;
}

/**
 * Makes the next start of the wasm backend in Node load the threaded build with a
 * pool of `threads` workers. Call `finish()` once `tf.setBackend('wasm')` settles.
 *
 * @throws Error when the installed tfjs-backend-wasm lacks the files this relies on.
 */
export async function prepareNodeWasmThreads(
  flags: { set(name: string, value: boolean): void },
  threads: number,
): Promise<NodeWasmThreads> {
  const { createRequire } = (await importOptional('node:module')) as {
    createRequire(from: string): NodeRequire;
  };
  const require = createRequire(import.meta.url);
  const { Worker } = (await importOptional('node:worker_threads')) as {
    Worker: new (code: string, options: WorkerOptions) => NodeWorker;
  };
  const os = ((await importOptional('node:os')) as { default: OsModule }).default;

  const { wasmWorkerContents } = require(WORKER_MODULE) as { wasmWorkerContents?: unknown };
  if (typeof wasmWorkerContents !== 'string' || !wasmWorkerContents.includes('worker_threads')) {
    throw new Error(`${WORKER_MODULE} is not the Emscripten pthread worker this expects`);
  }
  const glueScript = require.resolve(GLUE_SCRIPT);
  // tfjs escapes newlines the same way before it makes its Blob.
  const workerSource = wasmWorkerContents.replace(/\n/g, '\\n');

  const started: NodeWorker[] = [];
  class PthreadWorker extends Worker {
    constructor(_blobUrl: unknown, options: WorkerOptions = {}) {
      super(workerSource, { ...options, eval: true });
      started.push(this);
    }
    override postMessage(message: unknown, transfer?: readonly unknown[]): void {
      const load = message as PthreadMessage | null;
      const patched =
        load?.cmd === 'load' && typeof load.urlOrBlob !== 'string'
          ? { ...load, urlOrBlob: glueScript }
          : message;
      super.postMessage(patched, transfer as never);
    }
  }

  // Emscripten assigns `global.Worker = worker_threads.Worker` and then creates its
  // pool with `new Worker(blobUrl)`: answer those reads with PthreadWorker.
  const previousWorker = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => PthreadWorker,
    set: () => {},
  });
  const cpus = os.cpus;
  const logicalCores = cpus.call(os).length;
  if (Math.floor(logicalCores / 2) < threads) {
    os.cpus = () => {
      const real = cpus.call(os);
      return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
    };
  }
  flags.set('WASM_HAS_MULTITHREAD_SUPPORT', true);

  return {
    finish(backendStarted) {
      os.cpus = cpus;
      if (previousWorker === undefined) delete (globalThis as { Worker?: unknown }).Worker;
      else Object.defineProperty(globalThis, 'Worker', previousWorker);
      if (!backendStarted) {
        flags.set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        for (const worker of started) void worker.terminate();
        return;
      }
      // Idle pool workers must not keep Node running after the program is done.
      for (const worker of started) worker.unref();
    },
  };
}

/** What the threaded build reads the logical core count from in a browser (3). */
interface NavigatorLike {
  hardwareConcurrency?: number;
}

/**
 * Makes `navigator.hardwareConcurrency` report at least `2 * threads` until the
 * returned function is called, so tfjs's threaded wasm build in a browser starts
 * `threads` threads instead of half the cores (3). Does nothing (and returns a
 * no-op) without a `navigator` or when it already reports enough cores.
 */
export function liftBrowserCoreCount(threads: number): () => void {
  const navigator = (globalThis as { navigator?: NavigatorLike }).navigator;
  if (navigator == null) return () => {};
  const cores = navigator.hardwareConcurrency ?? 1;
  if (Math.floor(cores / 2) >= threads) return () => {};
  const own = Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency');
  Object.defineProperty(navigator, 'hardwareConcurrency', {
    configurable: true,
    get: () => 2 * threads,
  });
  return () => {
    if (own === undefined) delete navigator.hardwareConcurrency;
    else Object.defineProperty(navigator, 'hardwareConcurrency', own);
  };
}
