// Training on WASM, as a user would: the first load (progress, a download of only
// the digits used, every core), the latent map following training (issue 16,
// problem 1), no long task on the page's thread while it trains (3), samples/s
// equal to the throughput measured here (6), and the curve over Start, Stop and a
// new model (4).
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasPixels,
  canvasSpread,
  changedShare,
  frameStats,
  goTo,
  launch,
  longTasks,
  number,
  openApp,
  pageErrors,
  progressTexts,
  quietWindow,
  recordFrames,
  text,
  waitForStatus,
  waitForStep,
} from './support/app.ts';

/** The longest task the page's thread may run while training (issue 16: 200 ms). */
const LONG_TASK_LIMIT_MS = 200;
/** The longest the first load may block it: well under the seconds it used to. */
const LOAD_BLOCK_LIMIT_MS = 1000;
const BATCH = 100;

let browser: Browser;
let page: Page;
const mnistResponses: Response[] = [];

beforeAll(async () => {
  browser = await launch({ webgl: false });
  page = await openApp(browser, {
    backend: 'wasm',
    before: (p) =>
      p.on('response', (response) => {
        if (response.url().includes('/mnist/')) mnistResponses.push(response);
      }),
  });
});

afterAll(async () => {
  await browser?.close();
});

/** The map's pixels once a map newer than `version` is drawn. */
async function mapAfter(version: number): Promise<{ version: number; pixels: number[] }> {
  await page.waitForFunction(
    (v) =>
      Number(
        document.querySelector('[data-testid="latent-canvas"]')?.getAttribute('data-version'),
      ) > v,
    version,
    { timeout: 60_000 },
  );
  const now = Number(await page.getByTestId('latent-canvas').getAttribute('data-version'));
  return { version: now, pixels: await canvasPixels(page, 'latent-canvas') };
}

/**
 * Samples/s measured here as the page should: training images (steps x batch) over
 * the page's clock in the last `window` ms, from the time each step count appeared
 * (a MutationObserver on the counter), after `ms`; with the figure the page showed then.
 */
function measureThroughput(
  ms: number,
  window: number,
): Promise<{ measured: number; shown: number }> {
  return page.evaluate(
    ({ ms, window, batch }) =>
      new Promise<{ measured: number; shown: number }>((resolve) => {
        const counter = document.querySelector('[data-testid="step-value"]')!;
        const speed = document.querySelector('[data-testid="samples-per-second"]')!;
        const seen: [number, number][] = [];
        const observer = new MutationObserver(() => {
          seen.push([performance.now(), Number(counter.textContent)]);
        });
        observer.observe(counter, { childList: true, characterData: true, subtree: true });
        setTimeout(() => {
          observer.disconnect();
          const [tEnd, sEnd] = seen.at(-1)!;
          const from = [...seen].reverse().find(([t]) => t <= tEnd - window) ?? seen[0]!;
          const measured = ((sEnd - from[1]) * batch * 1000) / (tEnd - from[0]);
          resolve({ measured, shown: Number(speed.textContent) });
        }, ms);
      }),
    { ms, window, batch: BATCH },
  );
}

/** Waits until the chart has drawn the last step the counter shows (it redraws at most every 200 ms). */
async function chartCaughtUp(): Promise<void> {
  await page.waitForFunction(() => {
    const chart = document.querySelector('[data-testid="loss-chart"]') as HTMLElement;
    return (
      chart.dataset.lastStep === document.querySelector('[data-testid="step-value"]')?.textContent
    );
  });
}

describe('the page on WASM', () => {
  it('shows progress while it loads, downloads only the digits it uses and runs WASM on every core', async () => {
    const texts = await progressTexts(page);
    expect(texts.some((t) => t.startsWith('Starting the wasm backend'))).toBe(true);
    expect(texts.some((t) => /^Loading MNIST \(\d+\.\d MB\): \d+%$/.test(t))).toBe(true);
    // 20,000 training and 1,000 test digits in files of their own, not the 60,000-digit file.
    const names = mnistResponses.map((r) => r.url().split('/').pop());
    expect(names.sort()).toEqual([
      'test-1000-images-idx3-ubyte.gz',
      'test-1000-labels-idx1-ubyte.gz',
      'train-20000-images-idx3-ubyte.gz',
      'train-20000-labels-idx1-ubyte.gz',
    ]);
    const sizes = await Promise.all(mnistResponses.map((r) => r.request().sizes()));
    const bytes = sizes.reduce((sum, s) => sum + s.responseBodySize, 0);
    console.log(`MNIST download: ${(bytes / 1e6).toFixed(2)} MB; progress: ${texts.join(' | ')}`);
    expect(bytes).toBeLessThan(4.5e6); // the whole training file alone is 9.9 MB gzipped
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = Math.min(8, cores);
    expect(await text(page, 'backend-active')).toBe(
      `WASM (SIMD, ${threads} thread${threads === 1 ? '' : 's'})`,
    );
    // The first load must not block the page's thread for seconds (it used to for 4.5-8.6 s).
    const tasks = await longTasks(page);
    console.log(
      `long tasks while loading: ${tasks.map((t) => Math.round(t.duration)).join(', ') || 'none'} ms`,
    );
    expect(tasks.filter((t) => t.duration >= LOAD_BLOCK_LIMIT_MS)).toEqual([]);
  });

  it('trains without a long task, shows the throughput it achieves, and the map follows', async () => {
    await goTo(page, 'latent');
    const untrained = await mapAfter(0);
    await goTo(page, 'train');
    await page.getByTestId('train-toggle').click();
    await page.waitForSelector('[data-testid="loss-value"][data-kind="test"]', { timeout: 60_000 });
    const firstLoss = await number(page, 'loss-value');
    await waitForStep(page, 5);
    await recordFrames(page);
    const { measured, shown } = await measureThroughput(5000, 3000);
    const frames = await frameStats(page);
    const quiet = await quietWindow(page, {
      windowMs: 5000,
      tries: 3,
      limitMs: LONG_TASK_LIMIT_MS,
    });
    console.log(
      `wasm: samples/s shown ${shown}, measured ${measured.toFixed(0)}; frames ${JSON.stringify(frames)}; long tasks per 5-s window ${JSON.stringify(quiet.windows)} ms`,
    );

    // The map is redrawn while training, from the current weights.
    await goTo(page, 'latent');
    const during = await mapAfter(untrained.version);
    expect(changedShare(untrained.pixels, during.pixels)).toBeGreaterThan(0.05);
    const later = await mapAfter(during.version);
    expect(later.version).toBeGreaterThan(during.version);

    await goTo(page, 'train');
    await page
      .waitForFunction(
        (target) =>
          Number(document.querySelector('[data-testid="loss-value"]')?.textContent) < target,
        firstLoss - 150,
        { timeout: 20_000, polling: 250 },
      )
      .catch(() => {});
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle');
    // 5 s of training with no long task over 200 ms on the page's thread.
    expect(quiet.clean).toBe(true);
    const lastLoss = await number(page, 'loss-value');
    console.log(`wasm: test -ELBO ${firstLoss} -> ${lastLoss}`);
    // The figure is images over the page's clock in the last 3 s, everything included:
    // the same as counted here, up to the moment each reads it (issue 16 found 1.4-2.3x).
    expect(shown / measured).toBeGreaterThan(0.9);
    expect(shown / measured).toBeLessThan(1.1);
    // The same 300 test images with the same noise: a fall of 20 nats is the weights improving.
    expect(lastLoss).toBeLessThan(firstLoss - 20);
    expect(await canvasSpread(page, 'samples-canvas')).toBeGreaterThan(20);

    // Back on the map after training stopped: it shows the trained decoder, not its first visit.
    await goTo(page, 'latent');
    const after = await mapAfter(later.version);
    expect(changedShare(untrained.pixels, after.pixels)).toBeGreaterThan(0.05);
    await goTo(page, 'train');
  });

  it('continues the step count on a second Start, and starts the curve again for a new model', async () => {
    const chart = page.getByTestId('loss-chart');
    if ((await text(page, 'train-status')) !== 'idle') {
      await page.getByTestId('train-toggle').click(); // a failure above left it training
      await waitForStatus(page, 'idle');
    }
    await chartCaughtUp();
    const stopped = await number(page, 'step-value');
    await page.getByTestId('train-toggle').click();
    await waitForStep(page, stopped + 5);
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle');
    await chartCaughtUp();
    const steps = await number(page, 'step-value');
    // One point per step, 1..steps: the second run continued, it did not restart at 0 over the first.
    expect(await chart.getAttribute('data-first-step')).toBe('1');
    expect(Number(await chart.getAttribute('data-last-step'))).toBe(steps);
    expect(Number(await chart.getAttribute('data-points'))).toBe(steps);

    await page.getByTestId('preset-select').selectOption('mlp-16');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="step-value"]')?.textContent === '0',
    );
    expect(await text(page, 'loss-value')).toBe('–');
    expect(await text(page, 'samples-per-second')).toBe('–');
    await chartCaughtUp();
    expect(await chart.getAttribute('data-points')).toBe('0');
    expect(await text(page, 'model-description')).toContain('latent 16');
    await page.getByTestId('train-toggle').click();
    await waitForStep(page, 3);
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle');
    await chartCaughtUp();
    expect(await chart.getAttribute('data-first-step')).toBe('1');
    expect(Number(await chart.getAttribute('data-points'))).toBe(await number(page, 'step-value'));
    expect(pageErrors(page)).toEqual([]);
  });
});
