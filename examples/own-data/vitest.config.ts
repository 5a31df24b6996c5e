import { vaeVitestConfig } from '@vae/test-kit/vitest';

// wasm only: the tutorial trains a small conv VAE, where wasm is several times faster than 'cpu'.
export default vaeVitestConfig({ backends: ['wasm'], testTimeout: 180_000 });
