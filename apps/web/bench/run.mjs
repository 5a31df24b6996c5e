// Browser training throughput: serves the built app (dist/) with `vite preview`,
// opens bench.html in Debian's Chromium on each backend, and prints samples/s of
// the page's VAE on @vae/nn next to the same model on tfjs-layers. For wasm it also
// times the same steps in Node (src/throughput.ts through Vite's SSR loader) with the
// page's thread count, alternating page and Node rounds (the median of each), and
// prints the page's share of Node's throughput. Writes
// bench/out/browser-throughput.json. Run with `pnpm --filter web bench`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@vae/test-kit/vitest-browser';
import { chromium } from 'playwright-core';
import { createServer, preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('./out/', import.meta.url));
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,webgl').split(',');
const steps = Number(process.env.BENCH_STEPS ?? '30');
/** Alternating page and Node rounds for wasm. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? '3');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
const { port } = server.httpServer.address();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
let ssr;
const results = [];

/** One page load of bench.html: its JSON result. */
async function pageRound(backend) {
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${port}/bench.html?backend=${backend}&steps=${steps}`);
    await page.waitForSelector('#result[data-done]', { timeout: 600_000 });
    const text = (await page.locator('#result').textContent()) ?? '';
    if (text.startsWith('error')) throw new Error(`${backend}: ${text}`);
    return JSON.parse(text);
  } finally {
    await page.close();
  }
}

/** One Node round of the same steps on wasm with `threads` threads. */
async function nodeRound(threads) {
  ssr ??= await createServer({
    root,
    logLevel: 'warn',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false },
  });
  const { nodeThroughput } = await ssr.ssrLoadModule('/bench/node-throughput.ts');
  return nodeThroughput(threads, steps);
}

try {
  for (const backend of backends) {
    if (backend !== 'wasm') {
      results.push({ requested: backend, ...(await pageRound(backend)) });
      continue;
    }
    const pages = [];
    const nodes = [];
    for (let round = 0; round < ROUNDS; round++) {
      pages.push(await pageRound(backend));
      nodes.push(await nodeRound(pages[0].threads));
    }
    const of = (rounds, model) => median(rounds.map((r) => r.samplesPerSecond[model]));
    results.push({
      requested: backend,
      ...pages[0],
      samplesPerSecond: {
        '@vae/nn': of(pages, '@vae/nn'),
        'tfjs-layers': of(pages, 'tfjs-layers'),
      },
      node: {
        ...nodes[0],
        samplesPerSecond: {
          '@vae/nn': of(nodes, '@vae/nn'),
          'tfjs-layers': of(nodes, 'tfjs-layers'),
        },
      },
      rounds: {
        page: pages.map((r) => r.samplesPerSecond),
        node: nodes.map((r) => r.samplesPerSecond),
      },
    });
  }
} finally {
  await browser.close();
  await server.close();
  await ssr?.close();
}

mkdirSync(out, { recursive: true });
const file = `${out}browser-throughput.json`;
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), steps, results }, null, 2)}\n`,
);
console.log(
  '| backend | @vae/nn samples/s | tfjs-layers samples/s | ratio | Node @vae/nn samples/s | page / Node |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const ours = r.samplesPerSecond['@vae/nn'];
  const layers = r.samplesPerSecond['tfjs-layers'];
  const node = r.node?.samplesPerSecond['@vae/nn'];
  const share = node === undefined ? '-' : `${((ours / node) * 100).toFixed(0)}%`;
  console.log(
    `| ${r.backend} | ${ours} | ${layers} | ${(ours / layers).toFixed(2)}x | ${node ?? '-'} | ${share} |`,
  );
}
if (results.some((r) => r.node)) {
  console.log(
    `(Node: ${results.find((r) => r.node).node.backend}; medians of ${ROUNDS} alternating rounds)`,
  );
}
console.log(`(written to ${file})`);
