import { vaeVitestConfig } from '@vae/test-kit/vitest';
import { LONG_TESTS } from './vitest.e2e.config';

// The CLI trains real models end to end: the wasm backend only (cpu adds nothing
// here and is several times slower). Each file in a fresh module graph: the tests
// set environment variables and signal handlers of the process. The long files
// run with `test:e2e` (vitest.e2e.config.ts).
export default vaeVitestConfig({
  backends: ['wasm'],
  testTimeout: 240_000,
  isolate: true,
  exclude: LONG_TESTS,
});
