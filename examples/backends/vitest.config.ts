import { TEMPORARY_ROOT_SETUP } from '@vae/test-kit/vitest';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// The tests run the tutorial as a user does: the Node script in child processes, the
// page built with Vite, served by `vite preview` and opened in Debian's Chromium. No
// test-kit setup: each part starts its own backend with useBackend. `test` runs the Node
// script; `test:e2e` (CI's extended tier) the page.
const conditions = ['@vae/source', ...defaultServerConditions];
export default defineConfig({
  ssr: { resolve: { conditions } },
  environments: { ssr: { resolve: { conditions } } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: [TEMPORARY_ROOT_SETUP],
  },
});
