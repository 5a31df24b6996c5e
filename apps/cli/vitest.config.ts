import { vaeVitestConfig } from '@vae/test-kit/vitest';

// The CLI trains real models end to end: the wasm backend only (cpu adds nothing
// here and is several times slower). Each file in a fresh module graph: the tests
// set environment variables and signal handlers of the process.
export default vaeVitestConfig({ backends: ['wasm'], testTimeout: 240_000, isolate: true });
