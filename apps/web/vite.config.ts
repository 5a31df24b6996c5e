import { defaultClientConditions, defineConfig } from 'vite';
import { mnistAssets } from './plugins/mnist-assets.ts';

// Cross-origin isolation, so the wasm backend may load its threaded build.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // The workspace packages are used from their TypeScript sources (no build needed first).
  resolve: { conditions: ['@vae/source', ...defaultClientConditions] },
  plugins: [mnistAssets()],
  server: { headers: isolation, host: '127.0.0.1' },
  preview: { headers: isolation, host: '127.0.0.1' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: { main: 'index.html', bench: 'bench.html' },
    },
  },
  worker: { format: 'es' },
});
