// `node apps/cli/dist/bench/main.js [--backends wasm,cpu] [--steps 30] [--json out.json]`:
// the benchmark without the CLI shell (what the root `pnpm bench` runs).
import { runBench } from './index.js';

runBench({ argv: process.argv.slice(2) }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
