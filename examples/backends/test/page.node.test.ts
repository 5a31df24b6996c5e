// Part 2 of the tutorial: the page, built with `vite build`, served by `vite preview`
// with and without the cross-origin isolation headers, opened in Debian's Chromium
// (playwright-core drives it; nothing downloads a browser).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { useBackend } from '@vae/backends';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@vae/test-kit/vitest-browser';
import { type Browser, chromium } from 'playwright-core';
import { build, createServer, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComputeResult, compute } from '../src/compute.js';
import { EXAMPLE } from './run-script.js';

/** Absolute agreement between the page and Node, in nats (measured: 5e-5 for webgl). */
const TOLERANCE = 1e-3;

/** What the page leaves on `document.body.dataset.result` once done. */
interface PageResult {
  name: string;
  threads: number;
  threadsNote?: string;
  crossOriginIsolated: boolean;
  cores: number;
  result: ComputeResult;
  error?: string;
}

let isolated: PreviewServer;
let plain: PreviewServer;
let browser: Browser;
let expected: ComputeResult;

const url = (server: PreviewServer) => server.resolvedUrls!.local[0]!;

beforeAll(async () => {
  await build({ root: EXAMPLE, logLevel: 'warn' });
  const options = { host: '127.0.0.1', port: 0 };
  // With vite.config.ts: the COOP and COEP headers on. Without it: a plain static server.
  isolated = await preview({ root: EXAMPLE, logLevel: 'warn', preview: options });
  plain = await preview({ root: EXAMPLE, configFile: false, logLevel: 'warn', preview: options });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  // The Node result to compare with: the same function, here on cpu.
  await useBackend('cpu');
  expected = await compute();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([isolated?.close(), plain?.close()]);
});

/** Opens the page, waits for its result, and lists the .wasm files it fetched. */
async function open(address: string, screenshot?: string) {
  const page = await browser.newPage({ viewport: { width: 640, height: 440 } });
  const errors: string[] = [];
  const wasmFiles: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) wasmFiles.push(path);
  });
  await page.goto(address);
  await page.waitForFunction(() => document.body.dataset.result !== undefined, null, {
    timeout: 100_000,
  });
  const result = JSON.parse(
    await page.evaluate(() => document.body.dataset.result ?? ''),
  ) as PageResult;
  const text = async (testId: string) => (await page.getByTestId(testId).textContent()) ?? '';
  const shown = { status: await text('status'), threads: await text('threads') };
  if (screenshot !== undefined) await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { result, errors, wasmFiles, shown };
}

function expectSameNumbers(actual: ComputeResult): void {
  expect(Math.abs(actual.kl - expected.kl)).toBeLessThan(1e-5);
  expect(actual.klGradient).toEqual(expected.klGradient);
  expect(actual.steps).toBe(expected.steps);
  expect(Math.abs(actual.elboBefore - expected.elboBefore)).toBeLessThan(TOLERANCE);
  expect(Math.abs(actual.elboAfter - expected.elboAfter)).toBeLessThan(TOLERANCE);
}

/**
 * Where the screenshot goes: `docs/page.png` (shown in the README) with
 * VAE_UPDATE_SCREENSHOT=1 (`pnpm --filter @vae/example-backends screenshot`), else an
 * ignored folder.
 */
function screenshotPath(): string {
  if (process.env.VAE_UPDATE_SCREENSHOT === '1') return join(EXAMPLE, 'docs', 'page.png');
  mkdirSync(join(EXAMPLE, 'test-output'), { recursive: true });
  return join(EXAMPLE, 'test-output', 'page.png');
}

describe('the bundled page', () => {
  it('runs wasm with threads when cross-origin isolated, and computes what Node computes', async () => {
    const { result, errors, wasmFiles, shown } = await open(url(isolated), screenshotPath());
    expect(errors).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(result.name).toBe('wasm');
    expect(result.crossOriginIsolated).toBe(true);
    // One thread per logical core (at most 8), not tfjs's default of half of them.
    expect(result.threads).toBe(Math.min(8, result.cores));
    if (result.cores > 1) expect(result.threads).toBeGreaterThan(1);
    expect(result.threadsNote).toBeUndefined();
    // The threaded binary, served from the bundle's assets with a content hash.
    expect(wasmFiles).toEqual([
      expect.stringMatching(/^\/assets\/tfjs-backend-wasm-threaded-simd-[\w-]+\.wasm$/),
    ]);
    expect(shown).toEqual({ status: 'done', threads: String(result.threads) });
    expectSameNumbers(result.result);
  });

  it('falls back to one thread without the headers, and says why', async () => {
    const { result, errors, wasmFiles } = await open(url(plain));
    expect(errors).toEqual([]);
    expect(result.name).toBe('wasm');
    expect(result.crossOriginIsolated).toBe(false);
    expect(result.threads).toBe(1);
    if (result.cores > 1) expect(result.threadsNote).toMatch(/not cross-origin isolated/);
    expect(wasmFiles).toEqual([
      expect.stringMatching(/^\/assets\/tfjs-backend-wasm-simd-[\w-]+\.wasm$/),
    ]);
    expectSameNumbers(result.result);
  });

  it('runs webgl with ?backend=webgl, to the same numbers', async () => {
    const { result, errors, wasmFiles } = await open(`${url(isolated)}?backend=webgl`);
    expect(errors).toEqual([]);
    expect(result.name).toBe('webgl');
    expect(wasmFiles).toEqual([]);
    expectSameNumbers(result.result);
  });

  it('runs the same under the dev server (`vite`), headers included', async () => {
    const dev = await createServer({
      root: EXAMPLE,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: 0 },
    });
    try {
      await dev.listen();
      const { result, errors } = await open(dev.resolvedUrls!.local[0]!);
      expect(errors).toEqual([]);
      expect([result.name, result.crossOriginIsolated]).toEqual(['wasm', true]);
      expect(result.threads).toBe(Math.min(8, result.cores));
      expectSameNumbers(result.result);
    } finally {
      await dev.close();
    }
  });
});
