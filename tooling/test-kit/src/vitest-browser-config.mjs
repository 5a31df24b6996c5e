// Plain JavaScript on purpose: vitest loads config files through Node, which
// cannot import TypeScript from a linked workspace package.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Backends every package's browser test suite runs on, in the same `vitest run`. */
export const BROWSER_TEST_BACKENDS = ['webgl', 'wasm'];

/** Debian's Chromium; `VAE_CHROMIUM` overrides it. No tool downloads its own browser. */
export const CHROMIUM_PATH = process.env.VAE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Chromium flags for headless CI machines: no sandbox (CI runs as root), and
 * WebGL through ANGLE on SwiftShader so it works without a GPU.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

/** Test files that need Node (fs, child processes, the CLI) end in `.node.test.ts`. */
export const NODE_ONLY_TESTS = 'test/**/*.node.test.ts';

const SOURCE_CONDITION = '@vae/source';

/** Gives each run its own TMPDIR (Chromium's profile included), removed at the end. */
const TEMPORARY_ROOT_SETUP = fileURLToPath(new URL('./temporary-root.mjs', import.meta.url));

/**
 * The browser twin of `vaeVitestConfig`: the same `test/**\/*.test.ts` files
 * (less `*.node.test.ts`) in headless Chromium, once per backend in
 * {@link BROWSER_TEST_BACKENDS}, as vitest projects named `webgl` and `wasm`.
 * Projects run one at a time (two cores, one GPU process).
 *
 * @param {{ testTimeout?: number, backends?: readonly string[] }} [options]
 */
export function vaeBrowserVitestConfig(options = {}) {
  const backends = options.backends ?? BROWSER_TEST_BACKENDS;
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `vitest.browser.config: no Chromium at ${CHROMIUM_PATH}; run \`node scripts/ensure-chromium.mjs\` ` +
        "(installs Debian's chromium with apt-get as root) or set VAE_CHROMIUM to a Chromium binary.",
    );
  }
  return defineConfig({
    resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
    optimizeDeps: {
      // Pre-bundle tfjs once, up front, so the first test file does not trigger a reload.
      // The backends are the test kit's dependencies, not the package's: resolve them from it.
      include: [
        '@tensorflow/tfjs-core',
        '@vae/test-kit > @tensorflow/tfjs-backend-cpu',
        '@vae/test-kit > @tensorflow/tfjs-backend-webgl',
        '@vae/test-kit > @tensorflow/tfjs-backend-wasm',
        'fast-check',
      ],
    },
    test: {
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      globalSetup: [TEMPORARY_ROOT_SETUP],
      fileParallelism: false,
      // One page per project: tfjs, its backend and WebGL's compiled shaders are set up once, not per file.
      isolate: false,
      // A package whose every test needs Node (`*.node.test.ts`) has nothing to run here.
      passWithNoTests: true,
      maxWorkers: 1,
      projects: backends.map((backend) => ({
        extends: true,
        // Tests read the backend as in Node; the browser has no `process`, so define it.
        define: { 'process.env.VAE_TEST_BACKEND': JSON.stringify(backend) },
        test: {
          name: backend,
          include: ['test/**/*.test.ts'],
          exclude: [NODE_ONLY_TESTS, '**/node_modules/**'],
          env: { VAE_TEST_BACKEND: backend },
          provide: { vaeTestBackend: backend },
          setupFiles: ['@vae/test-kit/setup-browser'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      })),
    },
  });
}
