import type { UserConfig } from 'vitest/config';

/** Backends every package's Node test suite runs on: `['cpu', 'wasm']`. */
export declare const NODE_TEST_BACKENDS: string[];
/** The global setup that gives each run its own TMPDIR, removed at the end. */
export declare const TEMPORARY_ROOT_SETUP: string;
/** The Node vitest config (projects `cpu` and `wasm`, tests on TypeScript sources). */
export declare function vaeVitestConfig(options?: {
  testTimeout?: number;
  backends?: readonly string[];
  isolate?: boolean;
  include?: readonly string[];
  exclude?: readonly string[];
}): UserConfig;
