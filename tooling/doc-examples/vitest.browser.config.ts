// Runs the `browser` examples of the checked packages in headless Chromium
// (vitest browser mode), one test file per example, each in a fresh page
// context. `tsx src/cli.ts --write-browser-tests` writes them first.

import { TEMPORARY_ROOT_SETUP } from '@vae/test-kit/vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@vae/test-kit/vitest-browser';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Vite's default client conditions, after the sources' own.
  resolve: { conditions: ['@vae/source', 'module', 'browser', 'development|production'] },
  test: {
    include: ['.generated/browser/*.test.ts'],
    testTimeout: 60_000,
    globalSetup: [TEMPORARY_ROOT_SETUP],
    fileParallelism: false,
    maxWorkers: 1,
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
});
