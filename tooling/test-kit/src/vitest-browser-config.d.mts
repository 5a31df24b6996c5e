import type { UserConfig } from 'vitest/config';

/** Backends every package's browser test suite runs on: `['webgl', 'wasm']`. */
export declare const BROWSER_TEST_BACKENDS: string[];
/** Debian's Chromium (`/usr/bin/chromium`), or `VAE_CHROMIUM`. */
export declare const CHROMIUM_PATH: string;
/** Headless flags: no sandbox, WebGL on ANGLE + SwiftShader. */
export declare const CHROMIUM_ARGS: string[];
/** The glob of Node-only tests excluded from browser runs: `test/**\/*.node.test.ts`. */
export declare const NODE_ONLY_TESTS: string;
/** The browser vitest config (projects `webgl` and `wasm` in Chromium). */
export declare function vaeBrowserVitestConfig(options?: {
  testTimeout?: number;
  backends?: readonly string[];
}): UserConfig;
