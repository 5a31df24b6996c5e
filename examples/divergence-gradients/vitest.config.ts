import { defineConfig } from 'vitest/config';

// No test-kit setup on purpose: it registers tfjs-core's gradients, and this tutorial must
// show that `ensureGradients()` of @vae/divergence alone is enough.
// Vite's default server conditions, after the one that points @vae/* at their sources.
const conditions = ['@vae/source', 'module', 'node', 'development|production'];
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  environments: { ssr: { resolve: { conditions } } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
