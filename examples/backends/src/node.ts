// Tutorial: choosing and swapping backends in Node.
//   pnpm --filter @vae/example-backends start [cpu | wasm | tensorflow | auto] [--threads N]
// With no argument it reads VAE_BACKEND, else 'auto'.
import { parseArgs } from 'node:util';
import { type BackendRequest, useBackend, VaeError } from '@vae/backends';
import { compute } from './compute.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { threads: { type: 'string' } },
});
const request = positionals[0] as BackendRequest | undefined;
const threads = values.threads === undefined ? undefined : Number(values.threads);

try {
  // The one line: the backend named on the command line (undefined: VAE_BACKEND, else 'auto').
  const info = await useBackend(request, threads === undefined ? {} : { threads });

  console.log(`backend  ${info.name}`);
  if (info.name === 'wasm') console.log(`wasm     SIMD ${info.simd}, ${info.threads} thread(s)`);
  if (info.threadsNote !== undefined) console.log(`note     ${info.threadsNote}`);
  for (const skipped of info.fellBackFrom)
    console.log(`skipped  ${skipped.name}: ${skipped.reason}`);
} catch (error) {
  // A missing package or an unknown name: useBackend's message says what to do.
  if (!VaeError.isInstance(error)) throw error;
  console.error(error.message);
  process.exit(1);
}

const result = await compute();
console.log(`KL(N(1, 2²) || N(0, 1))      ${result.kl.toFixed(4)} nats`);
console.log(
  `d/dloc, d/dscale             ${result.klGradient.map((g) => g.toFixed(4)).join(', ')}`,
);
console.log(`test ELBO before fit         ${result.elboBefore.toFixed(4)} nats per point`);
console.log(
  `test ELBO after ${result.steps} steps     ${result.elboAfter.toFixed(4)} nats per point`,
);
