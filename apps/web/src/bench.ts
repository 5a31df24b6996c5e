// Browser training throughput of the page's VAE next to the same model on tfjs-layers
// (./throughput.ts), on the backend of ?backend=webgl|wasm|cpu (wasm: a thread per core
// when the page is cross-origin isolated, or ?threads=n). Writes JSON into #result and
// sets data-done.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { PageBackend } from './shared/protocol.ts';
import { BENCH_MODEL, layersStep, timeSteps, vaeNnStep } from './throughput.ts';
import { startBackend } from './worker/engine.ts';

const params = new URLSearchParams(location.search);
const STEPS = Number(params.get('steps') ?? 30);

async function main(): Promise<void> {
  const backend = (params.get('backend') ?? 'wasm') as PageBackend;
  const threads = params.has('threads') ? Number(params.get('threads')) : undefined;
  const info = await startBackend(backend, threads);
  const vaeNn = await timeSteps(vaeNnStep(), STEPS);
  const tfjsLayers = await timeSteps(layersStep(), STEPS);
  const result = {
    backend: info.description,
    name: info.name,
    threads: info.threads,
    model: BENCH_MODEL,
    steps: STEPS,
    samplesPerSecond: { '@vae/nn': Math.round(vaeNn), 'tfjs-layers': Math.round(tfjsLayers) },
    crossOriginIsolated: globalThis.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
  const out = document.getElementById('result')!;
  out.textContent = JSON.stringify(result, null, 2);
  out.dataset.done = 'true';
}

main().catch((error) => {
  const out = document.getElementById('result')!;
  out.textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
  out.dataset.done = 'error';
});
