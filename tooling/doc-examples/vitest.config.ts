import { TEMPORARY_ROOT_SETUP } from '@vae/test-kit/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    globalSetup: [TEMPORARY_ROOT_SETUP],
  },
});
