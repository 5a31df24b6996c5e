// Training on the CPU backend (plain JavaScript, a step takes a while): the page's
// thread stays free (issue 16, problem 3: one frame every 0.85-2.9 s, Stop after
// 11-27 s), since the worker does the work.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  frameStats,
  launch,
  longTasks,
  openApp,
  pageErrors,
  recordFrames,
  text,
  waitForStatus,
  waitForStep,
} from './support/app.ts';

const LONG_TASK_LIMIT_MS = 200;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch({ webgl: false });
  page = await openApp(browser, { backend: 'cpu' });
});

afterAll(async () => {
  await browser?.close();
});

describe('the page on the CPU backend', () => {
  it('trains without a long task on the page thread, and stops at once', async () => {
    expect(await text(page, 'backend-active')).toBe('CPU');
    await page.getByTestId('train-toggle').click();
    await waitForStep(page, 2);
    const started = await page.evaluate(() => performance.now());
    await recordFrames(page);
    await page.waitForTimeout(6000);
    const frames = await frameStats(page);
    const during = (await longTasks(page)).filter((t) => t.start > started);
    console.log(
      `cpu: ${await text(page, 'samples-per-second')} samples/s; frames ${JSON.stringify(frames)}; long tasks ${during.map((t) => Math.round(t.duration)).join(', ') || 'none'} ms`,
    );
    expect(during.filter((t) => t.duration > LONG_TASK_LIMIT_MS)).toEqual([]);
    // Stop lands after the step in progress (a fraction of a second on CPU), not 11-27 s later.
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle', 10_000);
    expect(pageErrors(page)).toEqual([]);
  });
});
