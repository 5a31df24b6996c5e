// Tutorial: choosing a backend in a page bundled with Vite (index.html loads this).
//   pnpm --filter @vae/example-backends dev        (or: build, then preview)
// ?backend=webgl picks WebGL; the default is wasm, with threads when the page is
// cross-origin isolated (vite.config.ts sends the two headers that make it so).

// 1. The wasm binaries, as files of the bundle: `?url` makes Vite copy each one into
//    dist/assets/ (with a content hash) and gives its URL.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { useBackend } from '@vae/backends';
import { compute } from './compute.js';

const show = (testId: string, text: string) => {
  document.querySelector(`[data-testid="${testId}"]`)!.textContent = text;
};

async function main(): Promise<void> {
  const backend =
    new URLSearchParams(location.search).get('backend') === 'webgl' ? 'webgl' : 'wasm';
  const cores = navigator.hardwareConcurrency || 1;
  // 2. A thread per logical core (at most 8). Only a cross-origin-isolated page may
  //    share memory with workers; elsewhere tfjs loads its single-threaded build, and
  //    `info.threadsNote` says why fewer threads run than asked.
  const threads = Math.min(8, cores);

  // 3. The one line. `importers` lets Vite see each backend package (a lazy chunk);
  //    `wasmPaths` maps each binary's name to the URL Vite gave it.
  const info = await useBackend(backend, {
    importers: {
      wasm: () => import('@tensorflow/tfjs-backend-wasm'),
      webgl: () => import('@tensorflow/tfjs-backend-webgl'),
    },
    wasmPaths: {
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    },
    threads,
  });
  show('backend', info.name);
  show('simd', info.name === 'wasm' ? String(info.simd) : 'n/a');
  show('threads', String(info.threads));
  show('threads-note', info.threadsNote ?? 'none');
  show('isolated', String(crossOriginIsolated));
  show('cores', String(cores));

  // 4. The same computation as in Node.
  const result = await compute();
  show('kl', `${result.kl.toFixed(4)} nats`);
  show('gradient', result.klGradient.map((g) => g.toFixed(4)).join(', '));
  show('elbo-before', `${result.elboBefore.toFixed(4)} nats per point`);
  show('elbo-after', `${result.elboAfter.toFixed(4)} nats per point (${result.steps} steps)`);
  show('status', 'done');
  document.body.dataset.result = JSON.stringify({ ...info, crossOriginIsolated, cores, result });
}

main().catch((error: unknown) => {
  show('status', `error: ${error instanceof Error ? error.message : String(error)}`);
  document.querySelector('[data-testid="status"]')!.className = 'error';
  document.body.dataset.result = JSON.stringify({ error: String(error) });
});
