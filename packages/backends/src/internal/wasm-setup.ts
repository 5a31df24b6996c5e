import { importOptional, isNode } from './runtime.js';

/** The part of `@tensorflow/tfjs-backend-wasm` this package calls. */
export interface WasmModule {
  setWasmPaths(prefixOrFileMap: string | Record<string, string>, usePlatformFetch?: boolean): void;
  setThreadsCount?(threads: number): void;
  getThreadsCount?(): number;
}

interface NodeModuleApi {
  createRequire(from: string): { resolve(specifier: string): string };
}

/**
 * The folder holding the wasm binaries of `@tensorflow/tfjs-backend-wasm`, with a
 * trailing slash, resolved the way Node resolves the package from here.
 * `undefined` outside Node or when it cannot be resolved.
 */
export async function nodeWasmFolder(): Promise<string | undefined> {
  if (!isNode()) return undefined;
  try {
    const { createRequire } = (await importOptional('node:module')) as NodeModuleApi;
    const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    // `main` is .../dist/tf-backend-wasm.node.js; the .wasm files sit beside it.
    return main.slice(0, Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1);
  } catch {
    return undefined;
  }
}

/**
 * Points the wasm backend at its binaries before it starts: `paths` when given
 * (bundlers), else the package's own dist folder in Node. Does nothing once the
 * backend has started (tfjs ignores late changes and would throw).
 */
export async function configureWasm(
  wasm: WasmModule,
  options: { paths?: string | Record<string, string>; threads?: number; started: boolean },
): Promise<void> {
  if (options.started) return;
  const paths = options.paths ?? (await nodeWasmFolder());
  if (paths !== undefined) wasm.setWasmPaths(paths);
  if (options.threads !== undefined) wasm.setThreadsCount?.(options.threads);
}
