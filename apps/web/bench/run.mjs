// Browser training throughput: serves the built app (dist/) with `vite preview`,
// opens bench.html in Debian's Chromium on each backend, and prints samples/s of
// the page's VAE on @vae/nn next to the same model on tfjs-layers. Writes
// bench/out/browser-throughput.json. Run with `pnpm --filter web bench`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@vae/test-kit/vitest-browser';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('./out/', import.meta.url));
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,webgl').split(',');
const steps = process.env.BENCH_STEPS ?? '30';

const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
const { port } = server.httpServer.address();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const results = [];
try {
  for (const backend of backends) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/bench.html?backend=${backend}&steps=${steps}`);
    const result = page.locator('#result');
    await page.waitForSelector('#result[data-done]', { timeout: 600_000 });
    const text = (await result.textContent()) ?? '';
    if (text.startsWith('error')) throw new Error(`${backend}: ${text}`);
    results.push({ requested: backend, ...JSON.parse(text) });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

mkdirSync(out, { recursive: true });
const file = `${out}browser-throughput.json`;
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
console.log('| backend | @vae/nn samples/s | tfjs-layers samples/s | ratio |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of results) {
  const ours = r.samplesPerSecond['@vae/nn'];
  const layers = r.samplesPerSecond['tfjs-layers'];
  console.log(`| ${r.backend} | ${ours} | ${layers} | ${(ours / layers).toFixed(2)}x |`);
}
console.log(`(written to ${file})`);
