// The page as something to explore (issue 16, problems 7, 8 and 11): WebGPU
// without an adapter falls back, nothing overflows sideways at 390 px, each view
// explains itself and has its controls, the latent point and two chosen test
// images can be explored, the forward and reverse KL fits follow a dragged mode,
// and Reset starts again. Screenshots of each view at 1280x800 and 390x844 go to
// test-output/screenshots/ (git-ignored).
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasPixels,
  changedShare,
  goTo,
  launch,
  number,
  OUTPUT,
  openApp,
  overflowing,
  pageErrors,
  text,
  waitForStatus,
  waitForStep,
} from './support/app.ts';

const SCREENSHOTS = `${OUTPUT}screenshots/`;
const VIEWS = ['train', 'latent', 'kl'] as const;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launch({ webgl: false });
  page = await openApp(browser, { backend: 'wasm' });
  // Some training, so the pictures show digits.
  await page.getByTestId('train-toggle').click();
  await waitForStep(page, 80);
  await page.getByTestId('train-toggle').click();
  await waitForStatus(page, 'idle');
});

afterAll(async () => {
  await browser?.close();
});

describe('the views', () => {
  it('fit a 390 px screen without sideways overflow (screenshots at 1280x800 and 390x844)', async () => {
    for (const view of VIEWS) {
      await goTo(page, view);
      if (view === 'kl') await page.waitForSelector('[data-testid="kl-canvas"][data-done="true"]');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.waitForTimeout(400);
      await page.screenshot({ path: `${SCREENSHOTS}1280x800-${view}.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(400);
      expect(await overflowing(page), view).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}390x844-${view}.png`, fullPage: true });
      // The canvases are scaled to the screen, not cut.
      const widths = await page.evaluate(() =>
        [...document.querySelectorAll('section:not([hidden]) canvas')].map(
          (c) => c.getBoundingClientRect().width,
        ),
      );
      expect(Math.max(...widths)).toBeLessThanOrEqual(390);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await goTo(page, 'train');
  });

  it('explain each number with its unit and offer the hyperparameters', async () => {
    const explanation = await text(page, 'explain');
    for (const phrase of ['nats per image', 'Reconstruction', 'KL', 'β'])
      expect(explanation).toContain(phrase);
    for (const id of [
      'latent-size',
      'hidden-size',
      'prior-select',
      'likelihood-select',
      'learning-rate',
      'beta',
      'batch-size',
      'preset-select',
      'backend-select',
      'threads',
      'seed',
    ]) {
      expect(await page.getByTestId(id).isEnabled(), id).toBe(true);
    }
    const chart = page.getByTestId('loss-chart');
    expect(await chart.getAttribute('data-scale')).toBe('log');
    await page.getByTestId('log-scale').uncheck();
    await expect.poll(() => chart.getAttribute('data-scale')).toBe('linear');
    await page.getByTestId('log-scale').check();
    await expect.poll(() => chart.getAttribute('data-scale')).toBe('log');
    // A prior from the controls builds a model with it.
    await page.getByTestId('prior-select').selectOption('mixture');
    await expect
      .poll(() => text(page, 'model-description'))
      .toContain('mixture of 10 Gaussians prior');
    expect(await page.getByTestId('preset-select').inputValue()).toBe('custom');
    await page.getByTestId('preset-select').selectOption('mlp-2');
    await expect.poll(() => text(page, 'model-description')).toContain('N(0, I) prior');
  });

  it('starts again on Reset: fresh weights, an empty curve', async () => {
    await page.getByTestId('train-toggle').click();
    await waitForStep(page, 5);
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle');
    await page.getByTestId('reset').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="step-value"]')?.textContent === '0',
    );
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-points')).toBe('0');
    expect(await text(page, 'loss-value')).toBe('–');
  });

  it('decode a dragged latent point and interpolate between two chosen test images', async () => {
    await page.getByTestId('train-toggle').click();
    await waitForStep(page, 30);
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle');
    await goTo(page, 'latent');
    expect(await text(page, 'latent-hint')).toContain('2 latent coordinates');
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid="latent-canvas"]')?.getAttribute('data-version'),
        ) > 0,
    );
    const canvas = page.getByTestId('latent-canvas');
    const before = await canvasPixels(page, 'latent-decoded');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.8, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => text(page, 'latent-z')).not.toBe('0.50, -0.50');
    await expect
      .poll(async () => changedShare(before, await canvasPixels(page, 'latent-decoded'), 4))
      .toBeGreaterThan(0.01);

    const choices = page.getByTestId('interpolation-choices');
    const strip = await canvasPixels(page, 'interpolation-canvas');
    await choices.scrollIntoViewIfNeeded();
    const row = (await choices.boundingBox())!;
    // Twelve test images in a row: click the 4th, then the 8th.
    await choices.click({ position: { x: (row.width * 3.5) / 12, y: row.height / 2 } });
    expect(await text(page, 'interpolation-chosen')).toBe('test image 3; pick a second');
    await choices.click({ position: { x: (row.width * 7.5) / 12, y: row.height / 2 } });
    expect(await text(page, 'interpolation-chosen')).toBe('test images 3 → 7');
    await expect
      .poll(async () => changedShare(strip, await canvasPixels(page, 'interpolation-canvas')))
      .toBeGreaterThan(0.05);
  });

  it('fit forward and reverse KL, and follow a dragged mode', async () => {
    await goTo(page, 'kl');
    await page.waitForSelector('[data-testid="kl-canvas"][data-done="true"]', { timeout: 60_000 });
    // Forward KL matches the mixture's spread (sqrt(2^2 + 0.6^2) = 2.09); reverse picks one mode (0.6).
    expect(await number(page, 'kl-forward-scale')).toBeGreaterThan(1.8);
    expect(await number(page, 'kl-reverse-scale')).toBeLessThan(0.8);
    expect(await number(page, 'kl-reverse-value')).toBeCloseTo(Math.log(2), 1);
    // Drag the right peak (x = 2, at its height, so its weight stays 1/2) to x = 4.5.
    const box = (await page.getByTestId('kl-canvas').boundingBox())!;
    const x = (value: number) => box.x + 52 + ((value + 6) / 12) * (box.width - 64);
    const peakY = box.y + box.height - 42 - (0.5 / 1.15) * (box.height - 54);
    await page.mouse.move(x(2), peakY);
    await page.mouse.down();
    await page.mouse.move(x(4.5), peakY, { steps: 10 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid="kl-canvas"][data-done="true"]', { timeout: 60_000 });
    // Modes at -2 and 4.5: the forward fit widens to the new spread (3.30), the reverse fit keeps one mode.
    expect(await number(page, 'kl-forward-scale')).toBeGreaterThan(2.8);
    expect(await number(page, 'kl-reverse-scale')).toBeLessThan(0.8);
    await page.getByTestId('kl-reset').click();
    await page.waitForSelector('[data-testid="kl-canvas"][data-done="true"]', { timeout: 60_000 });
    expect(await number(page, 'kl-forward-scale')).toBeLessThan(2.3);
    expect(pageErrors(page)).toEqual([]);
  });

  it('move the model to a new worker when the WASM threads change', async () => {
    await goTo(page, 'train');
    const steps = await text(page, 'step-value');
    const description = await text(page, 'model-description');
    const samples = await canvasPixels(page, 'samples-canvas');
    await page.getByTestId('threads').fill('1');
    await page.getByTestId('threads').dispatchEvent('change');
    await expect
      .poll(() => text(page, 'backend-active'), { timeout: 60_000 })
      .toBe('WASM (SIMD, 1 thread)');
    // The same weights on the new worker: the same model, curve and pictures.
    expect(await text(page, 'model-description')).toBe(description);
    expect(await text(page, 'step-value')).toBe(steps);
    expect(changedShare(samples, await canvasPixels(page, 'samples-canvas'))).toBeLessThan(0.01);
  });

  it('fall back from WebGPU without an adapter, with a message', async () => {
    const other = await openApp(browser, { backend: 'webgpu' });
    expect(await text(other, 'backend-active')).toMatch(/^WASM/);
    expect(await text(other, 'message')).toMatch(
      /^WebGPU is not available here \(.+\); using WASM instead\.$/,
    );
    expect(pageErrors(other)).toEqual([]);
    await other.close();
  });
});
