import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// The end-to-end test: Node drives Debian's Chromium (playwright-core) against
// the built app served by `vite preview`; `pnpm --filter web test` builds first.
// The workspace packages resolve to their sources (to write a CLI-style checkpoint).
export default defineConfig({
  ssr: { resolve: { conditions: ['@vae/source', ...defaultServerConditions] } },
  environments: {
    ssr: { resolve: { conditions: ['@vae/source', ...defaultServerConditions] } },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
