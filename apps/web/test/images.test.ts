// Your own images (issue 13, the browser part): pictures made here are dropped
// on the page, decoded there with @vae/data's decodeImageFiles, trained on, and
// the samples come out in their colours.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  goTo,
  launch,
  number,
  OUTPUT,
  openApp,
  pageErrors,
  text,
  waitForStatus,
  waitForStep,
} from './support/app.ts';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch({ webgl: false });
  page = await openApp(browser, { backend: 'wasm' });
});

afterAll(async () => {
  await browser?.close();
});

/** Mean red minus mean green and mean blue minus mean green of a canvas, 0-255. */
function colourBias(testId: string): Promise<{ red: number; blue: number }> {
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let [r, g, b] = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) {
      r += data[i]!;
      g += data[i + 1]!;
      b += data[i + 2]!;
    }
    const n = data.length / 4;
    return { red: (r - g) / n, blue: (b - g) / n };
  });
}

describe('training on dropped images', () => {
  it('decodes the dropped pictures, trains on them and samples in colour', async () => {
    // 40 PNGs of 40x40 pixels: red discs of varying size and place on white (about a third red).
    const transfer = await page.evaluateHandle(async () => {
      const data = new DataTransfer();
      for (let i = 0; i < 40; i++) {
        const canvas = new OffscreenCanvas(40, 40);
        const context = canvas.getContext('2d')!;
        context.fillStyle = '#fff';
        context.fillRect(0, 0, 40, 40);
        context.fillStyle = `rgb(${200 + (i % 5) * 10}, 20, ${40 + (i % 3) * 20})`;
        context.beginPath();
        context.arc(16 + (i % 4) * 3, 16 + (i % 3) * 4, 9 + (i % 6), 0, 2 * Math.PI);
        context.fill();
        const blob = await canvas.convertToBlob({ type: 'image/png' });
        data.items.add(new File([blob], `disc-${i}.png`, { type: 'image/png' }));
      }
      return data;
    });
    await page.getByTestId('image-drop').dispatchEvent('drop', { dataTransfer: transfer });
    await expect
      .poll(() => text(page, 'data-description'), { timeout: 60_000 })
      .toBe('your images: 40 of 32x32x3 (36 train, 4 held out)');
    expect(await page.getByTestId('data-select').inputValue()).toBe('images');
    await expect.poll(() => text(page, 'model-description')).toContain('MLP 32x32x3→256, latent 2');
    expect(await text(page, 'step-value')).toBe('0');
    const untrained = await colourBias('samples-canvas');

    await page.getByTestId('train-toggle').click();
    await page.waitForSelector('[data-testid="loss-value"][data-kind="test"]', { timeout: 60_000 });
    const first = await number(page, 'loss-value');
    await waitForStep(page, 150);
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle');
    const last = await number(page, 'loss-value');
    console.log(`images: test -ELBO ${first} -> ${last}`);
    expect(last).toBeLessThan(first - 50);
    // The data are red discs on white: red above green (and some blue) on average; an
    // untrained decoder's grey noise has none of that.
    const samples = await colourBias('samples-canvas');
    const reconstructions = await colourBias('reconstructions-canvas');
    console.log(
      `images: colour bias of samples ${JSON.stringify(untrained)} untrained, ${JSON.stringify(samples)} trained; reconstructions ${JSON.stringify(reconstructions)}`,
    );
    expect(Math.abs(untrained.red)).toBeLessThan(10);
    expect(samples.red).toBeGreaterThan(15);
    expect(reconstructions.red).toBeGreaterThan(25);
    mkdirSync(`${OUTPUT}screenshots/`, { recursive: true });
    await page.screenshot({
      path: `${OUTPUT}screenshots/1280x800-train-own-images.png`,
      fullPage: true,
    });
    await goTo(page, 'latent');
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid="latent-canvas"]')?.getAttribute('data-version'),
        ) > 0,
    );
    // The choices and the strip show once drawn (four held-out pictures: four choices).
    await page.waitForSelector('[data-testid="interpolation-choices"]', { state: 'visible' });
    await page.waitForSelector('[data-testid="interpolation-canvas"]', { state: 'visible' });
    const choices = (await page.getByTestId('interpolation-choices').boundingBox())!;
    expect(choices.width).toBeLessThan(300);
    await page.screenshot({
      path: `${OUTPUT}screenshots/1280x800-latent-own-images.png`,
      fullPage: true,
    });
    expect(pageErrors(page)).toEqual([]);
  });
});
