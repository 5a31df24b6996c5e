// Plain JavaScript on purpose: vitest loads config files through Node, which
// cannot import TypeScript from a linked workspace package.
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Backends every package's Node test suite runs on, in the same `vitest run`. */
export const NODE_TEST_BACKENDS = ['cpu', 'wasm'];

const SOURCE_CONDITION = '@vae/source';

/** Gives each run its own TMPDIR, removed at the end (`temporary-root.mjs`). */
export const TEMPORARY_ROOT_SETUP = fileURLToPath(new URL('./temporary-root.mjs', import.meta.url));

/**
 * The vitest config every package uses: tests run on TypeScript sources (the
 * `@vae/source` export condition, so nothing needs building first) and once per
 * backend in {@link NODE_TEST_BACKENDS}, as separate vitest projects.
 *
 * @param {{ testTimeout?: number, backends?: readonly string[], isolate?: boolean, include?: readonly string[], exclude?: readonly string[] }} [options]
 *   `isolate: true` gives every test file a fresh module graph (for suites that
 *   change process-wide state). `include` replaces `test/**\/*.test.ts`;
 *   `exclude` adds to what is left out (a package's long tests, run by another config).
 */
export function vaeVitestConfig(options = {}) {
  const backends = options.backends ?? NODE_TEST_BACKENDS;
  return defineConfig({
    resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
    environments: {
      ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
    },
    test: {
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      globalSetup: [TEMPORARY_ROOT_SETUP],
      // Test files share a worker's module cache: tfjs, its backends and the wasm
      // binary load once per worker, not once per file (setup was most of the time:
      // distributions' Node suite took 301 s isolated, 87 s shared, in one run).
      // Every setup file still selects the backend before each file's tests.
      isolate: options.isolate ?? false,
      projects: backends.map((backend) => ({
        extends: true,
        test: {
          name: backend,
          include: [...(options.include ?? ['test/**/*.test.ts'])],
          // Browser-only tests (IndexedDB, canvas, DOM) end in `.browser.test.ts`.
          exclude: ['test/**/*.browser.test.ts', '**/node_modules/**', ...(options.exclude ?? [])],
          env: { VAE_TEST_BACKEND: backend },
          setupFiles: ['@vae/test-kit/setup-backend'],
        },
      })),
    },
  });
}
