// The #flow view (issue 11): a RealNVP flow fitted to two moons in the flow's own
// worker on WASM. After 20 epochs (320 Adam steps) its mean test log-likelihood
// is finite and beats the full-covariance Gaussian's by a margin, the density
// canvas shows a picture, and the view fits a 390 px screen. Screenshots at
// 1280x800 and 390x844 go to test-output/screenshots/ (git-ignored).
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasSpread,
  launch,
  number,
  OUTPUT,
  openApp,
  overflowing,
  pageErrors,
  text,
} from './support/app.ts';

const SCREENSHOTS = `${OUTPUT}screenshots/`;
/**
 * Nats per point by which the flow must beat the Gaussian after 20 epochs. Measured
 * here: see the README (the Node example measures -1.385 against -1.938 at 20 epochs).
 */
const MARGIN = 0.3;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launch({ webgl: false });
  page = await openApp(browser, { backend: 'wasm', hash: 'flow' });
});

afterAll(async () => {
  await browser?.close();
});

/** The epoch the view shows (`12 / 100` -> 12). */
async function epoch(): Promise<number> {
  return Number.parseInt(await text(page, 'flow-epoch'), 10);
}

describe('the flow view', () => {
  it('explains the flow and offers the data and the kind of flow', async () => {
    const explanation = await text(page, 'flow-explain');
    expect(explanation).toContain('invertible map');
    expect(explanation).toContain('log p(x) = log p(z) + log |det ∂z/∂x|');
    const options = (id: string) =>
      page
        .getByTestId(id)
        .locator('option')
        .evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    expect(await options('flow-data')).toEqual(['moons', 'ring']);
    expect(await options('flow-kind')).toEqual(['realnvp', 'maf', 'planar']);
    expect(await page.getByTestId('flow-kind').inputValue()).toBe('realnvp');
  });

  it('fits two moons better than a full-covariance Gaussian, drawn as it trains', async () => {
    await page.getByTestId('flow-toggle').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="flow-status"]')?.textContent === 'training',
      undefined,
      { timeout: 60_000 },
    );
    // Frames while it trains: the density canvas is redrawn.
    await page.waitForFunction(
      () =>
        Number(
          document
            .querySelector('[data-testid="flow-density-canvas"]')
            ?.getAttribute('data-version'),
        ) >= 3,
      undefined,
      { timeout: 120_000, polling: 200 },
    );
    await expect.poll(epoch, { timeout: 150_000, interval: 250 }).toBeGreaterThanOrEqual(20);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}1280x800-flow.png`, fullPage: true });
    await page.getByTestId('flow-toggle').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="flow-status"]')?.textContent === 'stopped',
      undefined,
      { timeout: 60_000 },
    );
    const flow = await number(page, 'flow-loglik');
    const gaussian = await number(page, 'gaussian-loglik');
    console.log(
      `flow view, two moons, epoch ${await epoch()}: flow ${flow}, Gaussian ${gaussian} nats per point`,
    );
    expect(Number.isFinite(flow)).toBe(true);
    // The Gaussian fitted by maximum likelihood to two moons: about -1.94 nats per point.
    expect(gaussian).toBeGreaterThan(-2.2);
    expect(gaussian).toBeLessThan(-1.7);
    expect(flow - gaussian).toBeGreaterThan(MARGIN);
    // A picture, not a blank canvas (a uniform one has spread 0).
    expect(await canvasSpread(page, 'flow-density-canvas')).toBeGreaterThan(20);
    expect(await canvasSpread(page, 'flow-samples-canvas')).toBeGreaterThan(20);
    expect(pageErrors(page)).toEqual([]);
  });

  it('fits a 390 px screen without sideways overflow', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(400);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}390x844-flow.png`, fullPage: true });
    const widths = await page.evaluate(() =>
      [...document.querySelectorAll('section:not([hidden]) canvas')].map(
        (c) => c.getBoundingClientRect().width,
      ),
    );
    expect(widths.length).toBe(3);
    expect(Math.max(...widths)).toBeLessThanOrEqual(390);
    expect(Math.min(...widths)).toBeGreaterThan(200);
  });
});
