// Runtime detection that never touches a Node built-in at module top level,
// so this file is safe to bundle for the browser.

interface NodeProcessLike {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
}

function nodeProcess(): NodeProcessLike | undefined {
  const candidate = (globalThis as { process?: NodeProcessLike }).process;
  return candidate?.versions?.node != null ? candidate : undefined;
}

/** True when running in Node (not a browser, not a worker). */
export function isNode(): boolean {
  return nodeProcess() !== undefined;
}

/** Reads an environment variable in Node; `undefined` elsewhere. */
export function readEnv(name: string): string | undefined {
  return nodeProcess()?.env?.[name];
}

/**
 * `import()` of a specifier that bundlers must not try to resolve at build time
 * (an optional peer that may be absent, or a `node:` built-in).
 */
export function importOptional(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}
