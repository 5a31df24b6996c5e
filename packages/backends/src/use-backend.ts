import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { BackendFallback, BackendInfo, BackendName, BackendRequest } from './backend-info.js';
import {
  AUTO_ORDER_BROWSER,
  AUTO_ORDER_NODE,
  BACKEND_NAMES,
  BACKEND_SPECS,
  installHint,
  isModuleNotFound,
} from './internal/backend-specs.js';
import { withoutStartupProcessHandlers } from './internal/emscripten-handlers.js';
import { silenceNodeBanner } from './internal/node-banner.js';
import { importOptional, isNode, readEnv } from './internal/runtime.js';
import {
  liftBrowserCoreCount,
  MAX_WASM_THREADS,
  prepareNodeWasmThreads,
  wasmStarted,
} from './internal/tfjs-internals.js';
import { configureWasm, type WasmModule } from './internal/wasm-setup.js';

/**
 * Options for {@link useBackend}.
 *
 * @example
 * ```ts browser
 * // Vite: serve the wasm binaries from your bundle (a map names all three).
 * import wasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
 * import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
 * import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
 * import { useBackend } from '@vae/backends';
 *
 * await useBackend('wasm', {
 *   wasmPaths: {
 *     'tfjs-backend-wasm.wasm': wasm,
 *     'tfjs-backend-wasm-simd.wasm': wasmSimd,
 *     'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
 *   },
 *   importers: { wasm: () => import('@tensorflow/tfjs-backend-wasm') },
 * });
 * ```
 */
export interface UseBackendOptions {
  /**
   * Where the wasm binaries are: a folder URL with a trailing slash, or a map from
   * each binary's file name to its URL (what `setWasmPaths` takes). Default in Node:
   * the installed package's `dist/` folder; in a browser: next to the bundled script.
   * In a bundle it needs `importers.wasm`.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * XNNPACK threads for `wasm`, 1 to 8 (matrix products split across them; two
   * threads make a 784x400 product ~1.75x faster on a 2-core machine). In Node,
   * more than 1 loads tfjs's threaded build, which tfjs itself never loads there
   * (see the README); default 1. In a browser it needs a cross-origin-isolated page
   * (elsewhere tfjs loads its single-threaded build and `threadsNote` says so); default:
   * half the logical cores, tfjs's own choice.
   */
  threads?: number;
  /**
   * How to import each backend package. The default is a plain dynamic `import()` of
   * the package name, which bundlers skip (the packages are optional); in a bundled app
   * pass `{ webgl: () => import('@tensorflow/tfjs-backend-webgl') }` so the bundler
   * includes it as a lazy chunk, or import the package yourself before calling
   * (`wasmPaths` and `threads` then need `importers.wasm` all the same: they are set
   * through the package's module, which a bundle cannot import by name).
   */
  importers?: Partial<Record<BackendName, () => Promise<unknown>>>;
  /** The order `'auto'` tries. Default Node: tensorflow, wasm, cpu; browser: webgpu, webgl, wasm, cpu. */
  autoOrder?: readonly BackendName[];
}

const ENV_VARIABLE = 'VAE_BACKEND';

function parseRequest(value: string, source: string): BackendRequest {
  const normalized = value.trim().toLowerCase();
  if (normalized === 'auto' || (BACKEND_NAMES as readonly string[]).includes(normalized)) {
    return normalized as BackendRequest;
  }
  throw new VaeError(
    'INVALID_ARGUMENT',
    `useBackend: ${source} must be one of ${[...BACKEND_NAMES, 'auto'].map((n) => `'${n}'`).join(', ')}, got '${value}'`,
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function importBackend(name: BackendName, options: UseBackendOptions): Promise<unknown> {
  const spec = BACKEND_SPECS[name];
  const importer = options.importers?.[name] ?? (() => importOptional(spec.packageName));
  try {
    return await importer();
  } catch (error) {
    const what = isModuleNotFound(error)
      ? `${spec.packageName} is not installed`
      : `${spec.packageName} failed to load (${describe(error)})`;
    throw new VaeError(
      'BACKEND_UNAVAILABLE',
      `useBackend: the '${name}' backend needs ${spec.packageName}, but ${what}; install it with ${installHint(name)}`,
      { cause: error },
    );
  }
}

function wasmModuleOf(loaded: unknown): WasmModule | undefined {
  const candidate = loaded as Partial<WasmModule> | null | undefined;
  return typeof candidate?.setWasmPaths === 'function' ? (candidate as WasmModule) : undefined;
}

async function describeActive(name: BackendName, wasm: WasmModule | undefined) {
  switch (name) {
    case 'wasm': {
      const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
      let threads = 1;
      try {
        threads = wasm?.getThreadsCount?.() ?? 1;
      } catch {
        threads = 1;
      }
      return { simd, threads };
    }
    case 'tensorflow': {
      const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
        ?.hardwareConcurrency;
      return { simd: true, threads: cores ?? 1 };
    }
    case 'cpu':
    case 'webgl':
    case 'webgpu':
      return { simd: false, threads: 1 };
  }
}

/**
 * `wasmPaths` and `threads` are set through tfjs-backend-wasm's own functions: refuse
 * them, rather than ignore them, when its module is out of reach (a bundle that
 * imported the package statically, without `importers.wasm`).
 */
function checkWasmReachable(wasm: WasmModule | undefined, options: UseBackendOptions): void {
  if (wasm !== undefined || (options.wasmPaths === undefined && options.threads === undefined)) {
    return;
  }
  throw new VaeError(
    'INVALID_ARGUMENT',
    "useBackend: `wasmPaths` and `threads` are applied through @tensorflow/tfjs-backend-wasm's own setWasmPaths and setThreadsCount, but useBackend could not import that package here (a bundled page cannot import a package by name at run time); pass `importers: { wasm: () => import('@tensorflow/tfjs-backend-wasm') }`",
  );
}

/** Why a browser's wasm backend runs fewer threads than `threads` asked; `undefined` when it does not. */
function browserThreadsNote(asked: number | undefined, running: number): string | undefined {
  if (asked === undefined || running >= asked) return undefined;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return 'the page is not cross-origin isolated (it needs the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers), so tfjs runs its single-threaded wasm build';
  }
  return `tfjs started ${running} of the ${asked} threads asked`;
}

async function start(name: BackendName, options: UseBackendOptions): Promise<BackendInfo> {
  const tfName = BACKEND_SPECS[name].tfName;
  const { threads } = options;
  if (
    threads !== undefined &&
    !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_WASM_THREADS)
  ) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `useBackend: \`threads\` must be an integer from 1 to ${MAX_WASM_THREADS}, got ${threads}`,
    );
  }
  if (name === 'tensorflow' && !isNode()) {
    throw new VaeError(
      'BACKEND_UNAVAILABLE',
      "useBackend: the 'tensorflow' backend runs only in Node",
    );
  }
  if (name === 'webgpu' && !('gpu' in ((globalThis as { navigator?: object }).navigator ?? {}))) {
    throw new VaeError(
      'BACKEND_UNAVAILABLE',
      'useBackend: WebGPU is not available here (no `navigator.gpu`)',
    );
  }
  // A backend the app registered itself (a static import in a bundle) needs no import.
  const registered = tf.findBackendFactory(tfName) != null;
  const loaded =
    registered && options.importers?.[name] === undefined
      ? name === 'wasm'
        ? await importOptional(BACKEND_SPECS.wasm.packageName).catch(() => undefined)
        : undefined
      : await importBackend(name, options);
  const wasm = name === 'wasm' ? wasmModuleOf(loaded) : undefined;
  if (name === 'wasm') checkWasmReachable(wasm, options);
  const alreadyStarted = wasm !== undefined && wasmStarted(wasm);
  if (wasm !== undefined) {
    await configureWasm(wasm, {
      started: alreadyStarted,
      ...(options.wasmPaths !== undefined && { paths: options.wasmPaths }),
      ...(options.threads !== undefined && { threads: options.threads }),
    });
  }
  let ok: boolean;
  let threadsNote: string | undefined;
  // In a browser tfjs would start half the cores whatever `threads` says (see tfjs-internals).
  const restoreCores =
    wasm !== undefined && !isNode() && !alreadyStarted && threads !== undefined
      ? liftBrowserCoreCount(threads)
      : undefined;
  try {
    const wantsThreads = wasm !== undefined && isNode() && (threads ?? 1) > 1;
    if (wantsThreads && alreadyStarted) {
      threadsNote =
        'the wasm backend had already started; `threads` applies only to its first start';
    }
    const threaded =
      wantsThreads && !alreadyStarted
        ? await prepareNodeWasmThreads(tf.env(), threads ?? 1)
        : undefined;
    // The wasm module's process handlers would turn any later error of the app into
    // pages of minified code (see emscripten-handlers.ts).
    const setBackend = () =>
      wasm === undefined
        ? tf.setBackend(tfName)
        : withoutStartupProcessHandlers(() => tf.setBackend(tfName));
    if (threaded === undefined) {
      ok = await setBackend();
    } else {
      ok = await setBackend().catch(() => false);
      threaded.finish(ok);
      if (!ok) {
        // The single-threaded build, with its own errors reported as usual.
        threadsNote = 'the threaded wasm build failed to start in Node; running one thread';
        ok = await setBackend();
      }
    }
  } catch (error) {
    throw new VaeError(
      'BACKEND_UNAVAILABLE',
      `useBackend: '${name}' failed to start: ${describe(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    restoreCores?.();
  }
  if (!ok) {
    const reason =
      tf.findBackendFactory(tfName) == null ? 'nothing registered it' : 'it failed to initialize';
    throw new VaeError(
      'BACKEND_UNAVAILABLE',
      `useBackend: tf.setBackend('${tfName}') returned false: ${reason}`,
    );
  }
  await tf.ready();
  if (name === 'cpu' && isNode()) silenceNodeBanner();
  const active = await describeActive(name, wasm);
  if (threadsNote === undefined && wasm !== undefined && !isNode() && !alreadyStarted) {
    threadsNote = browserThreadsNote(threads, active.threads);
  }
  return {
    name,
    ...active,
    ...(threadsNote !== undefined && { threadsNote }),
    fellBackFrom: [],
  };
}

/**
 * Starts a TensorFlow.js backend and makes it the active one, importing its package
 * only now (the backends are optional peer dependencies). With `'auto'`, tries the
 * fastest first (Node: tensorflow, wasm, cpu; browser: webgpu, webgl, wasm, cpu) and
 * reports what it skipped and why in `fellBackFrom`. With no `name`, reads the
 * `VAE_BACKEND` environment variable in Node and falls back to `'auto'`.
 *
 * In Node it points the wasm backend at the binaries of the installed
 * `@tensorflow/tfjs-backend-wasm`; in a bundler pass `wasmPaths` (see the README).
 *
 * @param name - The backend, or `'auto'`; default: `VAE_BACKEND` in Node, else `'auto'`.
 * @param options - Wasm binary paths and `threads`, `importers` for bundlers, the `autoOrder`.
 * @returns What started: its name, SIMD, threads and what it fell back from.
 * @throws `VaeError('BACKEND_UNAVAILABLE')` when the backend's package is missing or it
 *   cannot start (the message says what to install), or when `'auto'` finds nothing;
 *   `VaeError('INVALID_ARGUMENT')` for an unknown name, or for `wasmPaths` or `threads`
 *   when the wasm package's module is out of reach (pass `importers.wasm`).
 * @example
 * ```ts
 * import { useBackend } from '@vae/backends';
 *
 * const info = await useBackend('auto');
 * // Without @tensorflow/tfjs-node, 'auto' skips tensorflow; its `reason` says what to install.
 * console.log(info.name, info.fellBackFrom.map(({ name }) => name)); // -> wasm [ 'tensorflow' ]
 * ```
 */
export async function useBackend(
  name?: BackendRequest,
  options: UseBackendOptions = {},
): Promise<BackendInfo> {
  const fromEnv = name === undefined ? readEnv(ENV_VARIABLE) : undefined;
  const request =
    name !== undefined
      ? parseRequest(String(name), '`name`')
      : fromEnv !== undefined && fromEnv.trim() !== ''
        ? parseRequest(fromEnv, `the ${ENV_VARIABLE} environment variable`)
        : 'auto';
  if (request !== 'auto') return start(request, options);

  const order = options.autoOrder ?? (isNode() ? AUTO_ORDER_NODE : AUTO_ORDER_BROWSER);
  const fellBackFrom: BackendFallback[] = [];
  for (const candidate of order) {
    try {
      const info = await start(candidate, options);
      return { ...info, fellBackFrom };
    } catch (error) {
      fellBackFrom.push({ name: candidate, reason: describe(error) });
    }
  }
  throw new VaeError(
    'BACKEND_UNAVAILABLE',
    `useBackend('auto'): no backend started; tried ${fellBackFrom.map((f) => `${f.name} (${f.reason})`).join('; ')}`,
  );
}
