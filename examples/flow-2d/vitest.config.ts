import { vaeVitestConfig } from '@vae/test-kit/vitest';

// wasm only: training the flow is about 3x faster there than on 'cpu' (the networks are small,
// so the time goes into per-op overhead), and the numbers are the same to float32 precision.
export default vaeVitestConfig({ backends: ['wasm'], testTimeout: 180_000 });
