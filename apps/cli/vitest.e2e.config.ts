import { vaeVitestConfig } from '@vae/test-kit/vitest';

/**
 * The CLI's long end-to-end files: kill -9 and Ctrl-C at random moments, every
 * preset trained and resumed, time budgets and validation, your own images, run
 * folders under refusals. `pnpm test:e2e` (and CI) runs them; `pnpm test` runs the
 * rest, which still trains, evaluates, samples and resumes end to end.
 */
export const LONG_TESTS = [
  'test/interruptions.node.test.ts',
  'test/budget-validation.node.test.ts',
  'test/presets.node.test.ts',
  'test/own-data.node.test.ts',
  'test/run-safety.node.test.ts',
];

export default vaeVitestConfig({
  backends: ['wasm'],
  testTimeout: 240_000,
  isolate: true,
  include: LONG_TESTS,
});
