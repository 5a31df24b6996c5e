// Models in and out of the page: bad files give a clear message (issue 16,
// problem 5), a loaded model that is not a preset shows in the Model select and
// the latent hint (9), IndexedDB and downloads round-trip, and a `vae train` run
// folder loads when the folder itself is picked, or says what is missing.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { type MlpVaeOptions, mlpVAE, modelToArtifacts } from '@vae/nn';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasSpread,
  goTo,
  launch,
  number,
  openApp,
  pageErrors,
  text,
  waitForStatus,
  waitForStep,
} from './support/app.ts';

/** A model laid out as `vae train` exports it (apps/cli export-model): model.json + weights.bin. */
async function cliModel(options: MlpVaeOptions): Promise<{ json: Buffer; bin: Buffer }> {
  const model = mlpVAE(options);
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

let browser: Browser;
let page: Page;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'vae-web-files-'));
  browser = await launch({ webgl: false });
  page = await openApp(browser, { backend: 'wasm' });
});

afterAll(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

const message = () => text(page, 'message');

async function pick(files: { name: string; buffer: Buffer }[]): Promise<void> {
  await page
    .getByTestId('weights-file')
    .setInputFiles(files.map((f) => ({ ...f, mimeType: 'application/octet-stream' })));
}

async function messageMatching(pattern: RegExp): Promise<string> {
  await expect.poll(message, { timeout: 30_000 }).toMatch(pattern);
  return message();
}

describe('loading models', () => {
  it('says clearly what is wrong with a bad .json', async () => {
    const weights = { name: 'weights.bin', buffer: Buffer.from([1, 2, 3]) };
    const cases: [string, string, RegExp][] = [
      ['empty', '', /model\.json is empty; pick the model's \.json manifest/],
      ['malformed', '{"modelTopology": {', /model\.json is not valid JSON \(.+\)/],
      ['an array', '[1, 2]', /model\.json holds an array, not a model manifest/],
      [
        'not a manifest',
        '{"hello": 1}',
        /needs "modelTopology" and "weightsManifest", found hello/,
      ],
      [
        'a Keras model',
        '{"modelTopology": {"format": "keras"}, "weightsManifest": [{"paths": ["weights.bin"], "weights": []}]}',
        /Load weights failed: .*vae/,
      ],
    ];
    for (const [what, json, pattern] of cases) {
      await pick([{ name: 'model.json', buffer: Buffer.from(json) }, weights]);
      const shown = await messageMatching(pattern);
      expect(shown, what).toMatch(/^Load weights failed: /);
      expect(await page.getByTestId('message').isVisible()).toBe(true);
    }
    await pick([{ name: 'weights.bin', buffer: Buffer.from([1]) }]);
    await messageMatching(
      /pick the manifest \(\.json\) and its weights \(\.bin\) together.*model\/model\.json/,
    );
    expect(pageErrors(page)).toEqual([]);
  });

  it('shows a loaded model that is no preset in the Model select and the latent hint', async () => {
    const { json, bin } = await cliModel({
      inputShape: [784],
      hidden: [32],
      latentDim: 3,
      seed: 5,
    });
    // A few steps first, so the loaded model has an old curve to clear (issue 16, problem 4).
    await page.getByTestId('train-toggle').click();
    await waitForStep(page, 2);
    await page.getByTestId('train-toggle').click();
    await waitForStatus(page, 'idle');
    expect(await number(page, 'step-value')).toBeGreaterThanOrEqual(2);
    await pick([
      { name: 'model.json', buffer: json },
      { name: 'weights.bin', buffer: bin },
    ]);
    await messageMatching(/^Load weights: done$/);
    expect(await text(page, 'step-value')).toBe('0');
    expect(await text(page, 'loss-value')).toBe('–');
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-points')).toBe('0');
    const description = 'MLP 784→32, latent 3, Bernoulli, N(0, I) prior';
    expect(await text(page, 'model-description')).toContain(description);
    const select = page.getByTestId('preset-select');
    expect(await select.inputValue()).toBe('loaded');
    expect(await select.locator('option:checked').textContent()).toBe(`loaded: ${description}`);
    expect(await page.getByTestId('latent-size').inputValue()).toBe('3');
    expect(await page.getByTestId('hidden-size').inputValue()).toBe('32');
    expect(await canvasSpread(page, 'samples-canvas')).toBeGreaterThan(5);
    await goTo(page, 'latent');
    await expect
      .poll(() => text(page, 'latent-hint'))
      .toContain('This model has 3 latent coordinates');
    expect(await page.getByTestId('latent-hint').getAttribute('data-latent-dim')).toBe('3');
    await goTo(page, 'train');

    // A preset's architecture loads as that preset.
    const preset = await cliModel({ inputShape: [784], hidden: [256], latentDim: 16, seed: 2 });
    await pick([
      { name: 'model.json', buffer: preset.json },
      { name: 'weights.bin', buffer: preset.bin },
    ]);
    await expect.poll(() => select.inputValue()).toBe('mlp-16');
    expect(await select.locator('option[value="loaded"]').count()).toBe(0);
  });

  it('takes a `vae train` run folder itself, and says when it has no model yet', async () => {
    const run = join(folder, 'run');
    mkdirSync(join(run, 'model'), { recursive: true });
    const { json, bin } = await cliModel({
      inputShape: [784],
      hidden: [48],
      latentDim: 4,
      seed: 3,
    });
    writeFileSync(join(run, 'config.json'), '{"epochs": 1}');
    writeFileSync(join(run, 'metrics.jsonl'), '{"epoch": 0}\n');
    writeFileSync(join(run, 'model', 'model.json'), json);
    writeFileSync(join(run, 'model', 'weights.bin'), bin);
    await page.getByTestId('weights-folder').setInputFiles(run);
    // The previous test's load left "Load weights: done" on screen: wait for this model.
    await expect
      .poll(() => text(page, 'model-description'), { timeout: 30_000 })
      .toContain('MLP 784→48, latent 4');
    await messageMatching(/^Load weights: done$/);

    const unfinished = join(folder, 'unfinished');
    mkdirSync(unfinished);
    writeFileSync(join(unfinished, 'config.json'), '{"epochs": 3}');
    writeFileSync(join(unfinished, 'checkpoint.ckpt'), Buffer.from([0, 1, 2]));
    await page.getByTestId('weights-folder').setInputFiles(unfinished);
    await messageMatching(
      /found a checkpoint but no model\/ folder.*writes model\/model\.json and model\/weights\.bin/,
    );
  });

  it('saves to and loads from IndexedDB, and downloads files that load back', async () => {
    await page.getByTestId('save-idb').click();
    await messageMatching(/^Save in this browser: done$/);
    const saved = await text(page, 'model-description');
    await page.getByTestId('preset-select').selectOption('mlp-2');
    await expect.poll(() => text(page, 'model-description')).toContain('latent 2');
    await page.getByTestId('load-idb').click();
    await messageMatching(/^Load from this browser: done$/);
    expect(await text(page, 'model-description')).toBe(saved);

    const downloads = new Map<string, Buffer>();
    const done = new Promise<void>((resolve) => {
      page.on('download', async (download) => {
        const path = join(folder, download.suggestedFilename());
        await download.saveAs(path);
        downloads.set(download.suggestedFilename(), readFileSync(path));
        if (downloads.size === 2) resolve();
      });
    });
    await page.getByTestId('download').click();
    await done;
    expect([...downloads.keys()].sort()).toEqual(['vae-web.json', 'vae-web.weights.bin']);
    await page.getByTestId('preset-select').selectOption('mlp-2');
    await expect.poll(() => text(page, 'model-description')).toContain('latent 2');
    await pick([...downloads].map(([name, buffer]) => ({ name, buffer })));
    await messageMatching(/^Load weights: done$/);
    expect(await text(page, 'model-description')).toBe(saved);
    expect(pageErrors(page)).toEqual([]);
  });
});
