// The throughput bench (bench.html, bench/run.mjs): the page trains both models with
// WASM on a thread per core (the page is cross-origin isolated), and the same steps
// run in Node (bench/node-throughput.ts), so the page can be set against Node.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nodeThroughput } from '../bench/node-throughput.ts';
import { launch } from './support/app.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launch({ webgl: false });
});

afterAll(async () => {
  await browser?.close();
});

describe('the throughput bench', () => {
  it('runs both models on WASM with a thread per core in the isolated page', async () => {
    const page = await browser.newPage();
    await page.goto(`${inject('baseUrl')}bench.html?backend=wasm&steps=2`);
    await page.waitForSelector('#result[data-done]', { timeout: 120_000 });
    const text = (await page.locator('#result').textContent()) ?? '';
    expect(text).not.toMatch(/^error/);
    const result = JSON.parse(text);
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.name).toBe('wasm');
    expect(result.threads).toBe(Math.min(8, result.hardwareConcurrency));
    expect(result.samplesPerSecond['@vae/nn']).toBeGreaterThan(0);
    expect(result.samplesPerSecond['tfjs-layers']).toBeGreaterThan(0);
    await page.close();
  });

  it('times the same steps in Node on WASM with the threads asked for', async () => {
    const result = await nodeThroughput(2, 2);
    expect(result.threads).toBe(2);
    expect(result.backend).toMatch(/^Node v\d+.*WASM \(SIMD, 2 threads\)$/);
    expect(result.samplesPerSecond['@vae/nn']).toBeGreaterThan(0);
    expect(result.samplesPerSecond['tfjs-layers']).toBeGreaterThan(0);
  });
});
