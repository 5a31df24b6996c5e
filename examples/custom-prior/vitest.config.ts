import { vaeVitestConfig } from '@vae/test-kit/vitest';

// wasm only: the tutorial trains small MLPs, where wasm is several times faster than 'cpu'.
export default vaeVitestConfig({ backends: ['wasm'], testTimeout: 180_000 });
