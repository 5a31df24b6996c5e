// The page under the dev server (`pnpm --filter web dev`, what the README tells a
// developer to run), not the build the other files test: Vite serves the sources and
// pre-bundles the dependencies. Excluding @tensorflow/tfjs-backend-wasm from that
// pre-bundling (as vite.config.ts once did) broke the wasm backend here only: its ESM
// imports a CommonJS file of the package, which only the pre-bundling converts
// ("does not provide an export named 'wasmWorkerContents'").
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launch,
  number,
  openApp,
  pageErrors,
  text,
  waitForStatus,
  waitForStep,
} from './support/app.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let server: ViteDevServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const wasmFiles: string[] = [];

beforeAll(async () => {
  // The app's own vite.config.ts (headers included), on a free port.
  server = await createServer({
    root: ROOT,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  await server.listen();
  browser = await launch({ webgl: false });
  page = await openApp(browser, {
    baseUrl: server.resolvedUrls!.local[0]!,
    backend: 'wasm',
    before: (p) => {
      p.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      p.on('request', (request) => {
        // The binaries fetched (not the `….wasm?url` modules that give their URLs).
        const { pathname, search } = new URL(request.url());
        if (pathname.endsWith('.wasm') && search === '') wasmFiles.push(pathname.split('/').pop()!);
      });
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the page under the dev server', () => {
  it('starts WASM with a thread per core and trains', async () => {
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = Math.min(8, cores);
    expect(await text(page, 'backend-active')).toBe(
      `WASM (SIMD, ${threads} thread${threads === 1 ? '' : 's'})`,
    );
    expect(wasmFiles).toEqual(['tfjs-backend-wasm-threaded-simd.wasm']);
    await page.getByTestId('train-toggle').click();
    await waitForStep(page, 5, 60_000);
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle');
    expect(Number.isFinite(await number(page, 'loss-value'))).toBe(true);
    expect(await text(page, 'message')).toBe('');
    expect(pageErrors(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
