// End to end in real Chromium: the built app (dist/, from `vite build`) served
// by `vite preview` on 127.0.0.1, driven by playwright-core. On WebGL and then
// WASM: train for a bounded time and check the loss went down and the samples
// are not blank; drag in the latent explorer and check the decoded digit
// changes; check the forward-KL fit is wider than the reverse-KL fit.
// Screenshots of each page go to test-output/ (git-ignored).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import { mlpVAE, modelToArtifacts } from '@vae/nn';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@vae/test-kit/vitest-browser';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = fileURLToPath(new URL('../test-output/', import.meta.url));
/** Longest training time per backend; it stops earlier once the loss fell clearly. */
const TRAIN_MS = 18_000;

/** A checkpoint laid out as `vae train` exports it: model.json + weights.bin (apps/cli export-model). */
async function cliCheckpoint(): Promise<{ json: Buffer; bin: Buffer }> {
  const model = mlpVAE({ inputShape: [784], hidden: [32], latentDim: 3, seed: 5 });
  const artifacts = await modelToArtifacts(model);
  model.dispose();
  const manifest = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  return {
    json: Buffer.from(JSON.stringify(manifest)),
    bin: Buffer.from(artifacts.weightData as ArrayBuffer),
  };
}

let server: PreviewServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  mkdirSync(output, { recursive: true });
  server = await preview({
    root,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('preview: no port');
  baseUrl = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent()) ?? '';
}

async function number(page: Page, testId: string): Promise<number> {
  return Number.parseFloat(await text(page, testId));
}

/** Standard deviation of the grey values of a canvas (0 for a blank one). */
function canvasSpread(page: Page, testId: string): Promise<number> {
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

function canvasPixels(page: Page, testId: string): Promise<number[]> {
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (context === null) return [];
    return Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data);
  });
}

describe.each([
  ['webgl', 'WebGL'],
  ['wasm', 'WASM'],
] as const)('the web app on %s', (backend, label) => {
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}?backend=cpu#train`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    await page.getByTestId('backend-select').selectOption(backend);
    await page.waitForFunction(
      (name) =>
        document.querySelector('[data-testid="backend-active"]')?.textContent?.startsWith(name),
      label,
      { timeout: 30_000 },
    );
  });

  afterAll(async () => {
    await page?.close();
  });

  it('trains: the test loss goes down and the samples are not blank', async () => {
    await page.getByTestId('train-toggle').click();
    // The first test −ELBO (computed after the first step), then the latest one after training.
    await page.waitForSelector('[data-testid="loss-value"][data-kind="test"]', { timeout: 60_000 });
    const first = await number(page, 'loss-value');
    // Train until the test loss fell by 150 nats or TRAIN_MS passed (SwiftShader WebGL is slow).
    await page
      .waitForFunction(
        (target) =>
          Number.parseFloat(
            document.querySelector('[data-testid="loss-value"]')?.textContent ?? '',
          ) < target,
        first - 150,
        { timeout: TRAIN_MS, polling: 250 },
      )
      .catch(() => {});
    await page.getByTestId('train-toggle').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="train-status"]')?.textContent === 'idle',
      undefined,
      { timeout: 30_000 },
    );
    const last = await number(page, 'loss-value');
    console.log(
      `${backend}: test -ELBO ${first} -> ${last}, ${await text(page, 'samples-per-second')} samples/s`,
    );
    expect(await text(page, 'backend-active')).toMatch(new RegExp(`^${label}`));
    // Both are the −ELBO of the same 300 test digits with the same noise seed, so any fall is
    // the weights improving; 20 nats is far above float noise.
    expect(last).toBeLessThan(first - 20);
    expect(await canvasSpread(page, 'samples-canvas')).toBeGreaterThan(20);
    await page.screenshot({ path: `${output}${backend}-train.png`, fullPage: true });
  });

  it('decodes a new digit when the latent point is dragged', async () => {
    await page.evaluate(() => {
      location.hash = '#latent';
    });
    const canvas = page.getByTestId('latent-canvas');
    await canvas.waitFor();
    const before = await canvasPixels(page, 'latent-decoded');
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('latent canvas has no box');
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.75, { steps: 8 });
    await page.mouse.up();
    const after = await canvasPixels(page, 'latent-decoded');
    expect(after.length).toBe(before.length);
    const changed = after.filter((value, i) => Math.abs(value - before[i]!) > 4).length;
    expect(changed).toBeGreaterThan(after.length / 100);
    await page.getByTestId('interpolate').click();
    await page.screenshot({ path: `${output}${backend}-latent.png`, fullPage: true });
  });

  it('saves to and loads from IndexedDB, loads a CLI checkpoint, and reports a bad file clearly', async () => {
    await page.evaluate(() => {
      location.hash = '#train';
    });
    const message = page.getByTestId('message');
    await page.getByRole('button', { name: 'Save to IndexedDB' }).click();
    await expect.poll(() => message.textContent()).toContain('Save to IndexedDB: done');
    await page.getByRole('button', { name: 'Load from IndexedDB' }).click();
    await expect.poll(() => message.textContent()).toContain('Load from IndexedDB: done');
    await page.getByTestId('weights-file').setInputFiles([
      {
        name: 'model.json',
        mimeType: 'application/json',
        buffer: Buffer.from(
          '{"modelTopology": {"format": "keras"}, "weightsManifest": [{"paths": ["weights.bin"], "weights": []}]}',
        ),
      },
      { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([1, 2, 3]) },
    ]);
    await expect.poll(() => message.textContent()).toMatch(/Load weights failed: .*is not a vae model/);
    expect(await message.isVisible()).toBe(true);
    const { json, bin } = await cliCheckpoint();
    await page.getByTestId('weights-file').setInputFiles([
      { name: 'model.json', mimeType: 'application/json', buffer: json },
      { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: bin },
    ]);
    await expect.poll(() => message.textContent()).toContain('Load weights: done');
    expect(await page.locator('#model-description').textContent()).toBe('MLP 784-32-3, bernoulli');
    // The page keeps working: the samples still draw.
    expect(await canvasSpread(page, 'samples-canvas')).toBeGreaterThan(20);
  });

  it('fits a wider normal by forward KL than by reverse KL', async () => {
    await page.evaluate(() => {
      location.hash = '#kl';
    });
    await page.waitForSelector('[data-testid="kl-canvas"][data-done="true"]', { timeout: 60_000 });
    const forwardScale = await number(page, 'kl-forward-scale');
    const reverseScale = await number(page, 'kl-reverse-scale');
    // Forward KL matches the mixture's spread (sqrt(2^2 + 0.6^2) = 2.09); reverse picks one mode (0.6).
    expect(forwardScale).toBeGreaterThan(1.8);
    expect(reverseScale).toBeLessThan(0.8);
    expect(await number(page, 'kl-forward-value')).toBeGreaterThan(0);
    expect(await number(page, 'kl-reverse-value')).toBeGreaterThan(0);
    await page.screenshot({ path: `${output}${backend}-kl.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});

describe('a lost WebGL context', () => {
  it('is reported, the page switches to WASM and keeps training', async () => {
    const page = await browser.newPage();
    // Test-only instrumentation: remember the WebGL contexts tfjs creates, to lose one.
    await page.addInitScript(() => {
      const contexts: unknown[] = [];
      Object.assign(globalThis, { testWebGlContexts: contexts });
      for (const Canvas of [HTMLCanvasElement, OffscreenCanvas]) {
        const original = Canvas.prototype.getContext as (...args: unknown[]) => unknown;
        Canvas.prototype.getContext = function (this: unknown, ...args: unknown[]) {
          const context = original.apply(this, args);
          if (String(args[0]).startsWith('webgl')) contexts.push(context);
          return context;
        } as never;
      }
    });
    await page.goto(`${baseUrl}?backend=webgl#train`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await text(page, 'backend-active')).toMatch(/^WebGL/);
    await page.evaluate(() => {
      const [gl] = (globalThis as unknown as { testWebGlContexts: WebGL2RenderingContext[] })
        .testWebGlContexts;
      gl?.getExtension('WEBGL_lose_context')?.loseContext();
    });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="backend-active"]')?.textContent?.startsWith('WASM'),
      undefined,
      { timeout: 30_000 },
    );
    expect(await text(page, 'message')).toContain('WebGL context was lost');
    await page.getByTestId('train-toggle').click();
    await page.waitForSelector('[data-testid="loss-value"][data-kind="test"]', { timeout: 60_000 });
    await page.getByTestId('train-toggle').click();
    await page.screenshot({ path: `${output}webgl-context-lost.png`, fullPage: true });
    await page.close();
  });
});
