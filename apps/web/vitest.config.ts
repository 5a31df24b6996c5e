import { defineConfig } from 'vitest/config';

// The end-to-end test: Node drives Debian's Chromium (playwright-core) against
// the built app served by `vite preview`; `pnpm --filter web test` builds first.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
