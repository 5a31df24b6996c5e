// Training on the CPU backend (plain JavaScript, a step takes a while): the page's
// thread stays free (issue 16, problem 3: one frame every 0.85-2.9 s, Stop after
// 11-27 s), since the worker does the work.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  frameStats,
  launch,
  openApp,
  pageErrors,
  quietWindow,
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
    await recordFrames(page);
    const quiet = await quietWindow(page, {
      windowMs: 5000,
      tries: 3,
      limitMs: LONG_TASK_LIMIT_MS,
    });
    const frames = await frameStats(page);
    console.log(
      `cpu: ${await text(page, 'samples-per-second')} samples/s; frames ${JSON.stringify(frames)}; long tasks per 5-s window ${JSON.stringify(quiet.windows)} ms`,
    );
    // Stop lands after the step in progress (a fraction of a second on CPU), not 11-27 s later.
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle', 10_000);
    // 5 s of training with no long task over 200 ms on the page's thread.
    expect(quiet.clean).toBe(true);
    expect(pageErrors(page)).toEqual([]);
  });
});
