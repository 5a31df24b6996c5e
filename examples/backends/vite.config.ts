import { defaultClientConditions, defineConfig } from 'vite';

// Cross-origin isolation: with these two headers the page may share memory with
// workers (SharedArrayBuffer), which the threaded wasm build needs.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: crossOriginIsolation }, // `vite` (dev)
  preview: { headers: crossOriginIsolation }, // `vite preview` (the built page)
  build: { target: 'es2022' },
  // In this repository only: use the @vae packages from their TypeScript sources
  // (installed from npm they resolve to their built files, and this line is not needed).
  resolve: { conditions: ['@vae/source', ...defaultClientConditions] },
});
