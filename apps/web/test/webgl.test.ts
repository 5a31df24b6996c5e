// A lost WebGL context during training (issue 16, problem 2): the page used to
// stay "training" with Stop dead and the load controls disabled. Now the worker
// that owned the context is replaced by one on WASM with a fresh model (the
// weights on the GPU are gone), the page says so, and everything works. WebGL
// runs on SwiftShader here (no GPU).
import type { Browser, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launch,
  number,
  openApp,
  pageErrors,
  progressTexts,
  text,
  waitForStatus,
  waitForStep,
} from './support/app.ts';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch({ webgl: true });
  page = await openApp(browser, { backend: 'webgl' });
});

afterAll(async () => {
  await browser?.close();
});

function trainingWorker(): Worker {
  const worker = page.workers().find((w) => /\/assets\/worker-[^/]+\.js$/.test(w.url()));
  if (worker === undefined) throw new Error('no training worker');
  return worker;
}

describe('a WebGL context lost while training', () => {
  it('leaves the page usable: WASM with a fresh model, Stop and the load controls working', async () => {
    expect(await text(page, 'backend-active')).toMatch(/^WebGL/);
    await page.getByTestId('train-toggle').click();
    // SwiftShader compiles the shaders on the first steps: slow, but the page shows it.
    await waitForStep(page, 2, 150_000);
    expect(await text(page, 'train-status')).toBe('training');
    expect((await progressTexts(page)).some((t) => t.includes('compiles its shaders'))).toBe(true);
    // Test-only hook: the worker exposes its WebGL context (src/worker/engine.ts).
    await trainingWorker().evaluate(() => {
      const debug = (
        globalThis as unknown as { vaeWorkerDebug: { webglContext(): WebGL2RenderingContext } }
      ).vaeWorkerDebug;
      debug.webglContext().getExtension('WEBGL_lose_context')?.loseContext();
    });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="backend-active"]')?.textContent?.startsWith('WASM'),
      undefined,
      { timeout: 90_000 },
    );
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid="message"]')
        ?.textContent?.includes('WebGL context was lost'),
    );
    await waitForStatus(page, 'idle');
    expect(await text(page, 'step-value')).toBe('0'); // a fresh model, a fresh curve
    expect(await page.getByTestId('backend-select').inputValue()).toBe('wasm');
    for (const id of [
      'weights-file',
      'weights-folder',
      'load-idb',
      'backend-select',
      'preset-select',
    ]) {
      expect(await page.getByTestId(id).isEnabled()).toBe(true);
    }
    // Start and Stop work on the new worker.
    await page.getByTestId('train-toggle').click();
    await waitForStep(page, 3);
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle', 20_000);
    expect(await number(page, 'step-value')).toBeGreaterThanOrEqual(3);
    expect(await text(page, 'train-toggle')).toBe('Start training');
    expect(pageErrors(page)).toEqual([]);
  });
});
