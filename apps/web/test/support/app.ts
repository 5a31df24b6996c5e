// Driving the page in Debian's Chromium (playwright-core; WebGL on SwiftShader,
// no GPU): open it, wait until it is ready, read its numbers and canvases, and
// watch the page's thread (long tasks, frame times).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@vae/test-kit/vitest-browser';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

/** Screenshots and other artefacts: git-ignored, outside what the repository tracks. */
export const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
mkdirSync(OUTPUT, { recursive: true });

/**
 * Debian's Chromium. `webgl: true` adds the flags that give WebGL through ANGLE on
 * SwiftShader (no GPU here); without them Chromium composites in software, as on a
 * machine without a GPU. Compositing itself through SwiftShader GL costs the page's
 * frames most of the two cores (26 frames per second on an idle page under load),
 * so tests that count frames or long tasks run without it.
 */
export function launch(options: { webgl?: boolean } = {}): Promise<Browser> {
  const args = options.webgl ? CHROMIUM_ARGS : ['--no-sandbox', '--disable-dev-shm-usage'];
  return chromium.launch({ executablePath: CHROMIUM_PATH, args, headless: true });
}

/** A long task the page's thread ran (PerformanceObserver `longtask` entries, over 50 ms). */
export interface LongTask {
  start: number;
  duration: number;
}

/**
 * Test-only instrumentation, installed before the page's scripts: every long task
 * of the page's thread since navigation (`buffered`), and frame timestamps on demand.
 */
function instrument(): void {
  const state = globalThis as unknown as {
    testLongTasks: { start: number; duration: number }[];
    testFrames: number[] | undefined;
    testProgress: string[];
  };
  state.testLongTasks = [];
  state.testProgress = [];
  // Every text the progress line shows.
  new MutationObserver(() => {
    const progress = document.getElementById('progress-text')?.textContent ?? '';
    if (progress !== '' && state.testProgress.at(-1) !== progress)
      state.testProgress.push(progress);
  }).observe(document, { subtree: true, childList: true, characterData: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      state.testLongTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  const frame = (time: number) => {
    state.testFrames?.push(time);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

export interface OpenOptions {
  /** The server to open; default: the `vite preview` of the built app (global-setup.ts). */
  baseUrl?: string;
  backend?: string;
  hash?: string;
  viewport?: { width: number; height: number };
  /** Extra query parameters, e.g. `threads=1`. */
  query?: string;
  /** Called with the page before it navigates (to listen to its requests). */
  before?: (page: Page) => void;
}

/** Opens the app and waits until it has started (data loaded, a model built). */
export async function openApp(browser: Browser, options: OpenOptions = {}): Promise<Page> {
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { testErrors: string[] }).testErrors = errors;
  await page.addInitScript(instrument);
  options.before?.(page);
  const query = [options.backend && `backend=${options.backend}`, options.query].filter(Boolean);
  const base = options.baseUrl ?? inject('baseUrl');
  await page.goto(
    `${base}${query.length > 0 ? `?${query.join('&')}` : ''}#${options.hash ?? 'train'}`,
  );
  // Ready, or a failed start (its message, at once, rather than a time-out).
  await page.waitForFunction(
    () =>
      document.body.dataset.ready === 'true' ||
      document.getElementById('message')?.textContent?.startsWith('The page failed to start'),
    null,
    { timeout: 120_000, polling: 100 },
  );
  const failed = await page.evaluate(() => document.body.dataset.ready !== 'true');
  if (failed) throw new Error(`openApp: ${await text(page, 'message')}`);
  return page;
}

/** Uncaught errors of the page so far. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { testErrors?: string[] }).testErrors ?? [];
}

export async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent()) ?? '';
}

export async function number(page: Page, testId: string): Promise<number> {
  return Number.parseFloat(await text(page, testId));
}

/** Every text the progress line showed since navigation. */
export function progressTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { testProgress: string[] }).testProgress);
}

export function longTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(
    () => (globalThis as unknown as { testLongTasks: LongTask[] }).testLongTasks,
  );
}

/**
 * Watches the page's thread for windows of `windowMs`, up to `tries` of them, until
 * one has no long task over `limitMs`. Returns the long tasks of each window watched
 * (durations in ms) and whether the last was clean. Under the old page every window
 * had one (a training step ran on the page's thread); on a 2-core machine loaded by
 * other work the thread can wait for a core over 200 ms with little work of its own,
 * hence more than one window.
 */
export async function quietWindow(
  page: Page,
  options: { windowMs: number; tries: number; limitMs: number },
): Promise<{ clean: boolean; windows: number[][] }> {
  const windows: number[][] = [];
  for (let i = 0; i < options.tries; i++) {
    const start = await page.evaluate(() => performance.now());
    await page.waitForTimeout(options.windowMs);
    const end = await page.evaluate(() => performance.now());
    const tasks = (await longTasks(page)).filter((t) => t.start >= start && t.start < end);
    windows.push(tasks.map((t) => Math.round(t.duration)));
    if (tasks.every((t) => t.duration <= options.limitMs)) return { clean: true, windows };
  }
  return { clean: false, windows };
}

/** Starts recording frame timestamps (requestAnimationFrame) on the page's thread. */
export function recordFrames(page: Page): Promise<void> {
  return page.evaluate(() => {
    (globalThis as unknown as { testFrames: number[] }).testFrames = [];
  });
}

/** Frame intervals since {@link recordFrames}: median, 95th percentile and longest, in ms. */
export async function frameStats(
  page: Page,
): Promise<{ frames: number; median: number; p95: number; max: number }> {
  const times = await page.evaluate(
    () => (globalThis as unknown as { testFrames: number[] }).testFrames,
  );
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  const at = (q: number) =>
    gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? Number.NaN;
  return { frames: times.length, median: at(0.5), p95: at(0.95), max: gaps.at(-1) ?? Number.NaN };
}

/** Standard deviation of a canvas's red values (0 for a blank one). */
export function canvasSpread(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (context === null || canvas.width === 0) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let sumSq = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      sum += data[i]!;
      sumSq += data[i]! * data[i]!;
    }
    return Math.sqrt(Math.max(0, sumSq / n - (sum / n) ** 2));
  });
}

export function canvasPixels(page: Page, testId: string): Promise<number[]> {
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (context === null) return [];
    return Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data);
  });
}

/** Share of values that differ by more than `tolerance` between two pixel arrays. */
export function changedShare(before: number[], after: number[], tolerance = 8): number {
  expect(after.length).toBe(before.length);
  return after.filter((value, i) => Math.abs(value - before[i]!) > tolerance).length / after.length;
}

export async function waitForStatus(page: Page, status: 'idle' | 'training', timeout = 60_000) {
  await page.waitForFunction(
    (wanted) => document.querySelector('[data-testid="train-status"]')?.textContent === wanted,
    status,
    { timeout },
  );
}

/** Waits until the step counter reaches `step`. */
export async function waitForStep(page: Page, step: number, timeout = 90_000): Promise<void> {
  await page.waitForFunction(
    (target) => Number(document.querySelector('[data-testid="step-value"]')?.textContent) >= target,
    step,
    { timeout, polling: 100 },
  );
}

export async function goTo(page: Page, view: 'train' | 'latent' | 'kl' | 'flow'): Promise<void> {
  await page.evaluate((hash) => {
    location.hash = `#${hash}`;
  }, view);
  await page.waitForSelector(`section[data-page="${view}"]:not([hidden])`);
}

/** Elements whose box reaches past the right edge of the viewport. */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width)
      out.push(`document ${document.documentElement.scrollWidth}px`);
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 0.5) {
        out.push(
          `${element.tagName.toLowerCase()}#${element.id || element.className} right ${Math.round(box.right)}`,
        );
      }
    }
    return out;
  });
}
