// The Node side of the throughput bench: the steps bench.html times (src/throughput.ts),
// timed in Node on the wasm backend with the page's thread count. bench/run.mjs loads
// this file through Vite's SSR loader, so Node runs the page's own source.
import { useBackend } from '@vae/backends';
import { ensureGradients } from '@vae/trainer';
import { BENCH_MODEL, layersStep, timeSteps, vaeNnStep } from '../src/throughput.ts';

/** What one Node round measured, shaped like the page's result. */
export interface NodeThroughput {
  backend: string;
  threads: number;
  model: string;
  samplesPerSecond: { '@vae/nn': number; 'tfjs-layers': number };
}

/** Starts wasm with `threads` threads (once per process) and times both models' steps. */
export async function nodeThroughput(threads: number, steps: number): Promise<NodeThroughput> {
  await ensureGradients();
  const info = await useBackend('wasm', { threads });
  const vaeNn = await timeSteps(vaeNnStep(), steps);
  const tfjsLayers = await timeSteps(layersStep(), steps);
  return {
    backend: `Node ${process.version}, WASM (${info.simd ? 'SIMD, ' : ''}${info.threads} thread${info.threads === 1 ? '' : 's'})`,
    threads: info.threads,
    model: BENCH_MODEL,
    samplesPerSecond: { '@vae/nn': Math.round(vaeNn), 'tfjs-layers': Math.round(tfjsLayers) },
  };
}
