import { TEMPORARY_ROOT_SETUP } from '@vae/test-kit/vitest';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// The end-to-end tests: Node drives Debian's Chromium (playwright-core) against the
// built app served once by `vite preview` (test/support/global-setup.ts);
// `pnpm --filter web test:e2e` builds first. Files run one after another (two cores, one
// GPU process). The workspace packages resolve to their sources (to write checkpoints).
export default defineConfig({
  ssr: { resolve: { conditions: ['@vae/source', ...defaultServerConditions] } },
  environments: {
    ssr: { resolve: { conditions: ['@vae/source', ...defaultServerConditions] } },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: [TEMPORARY_ROOT_SETUP, 'test/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
