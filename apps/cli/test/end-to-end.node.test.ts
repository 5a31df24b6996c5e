import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mnistFiles } from '@vae/data/node';
import { loadVAE } from '@vae/nn';
import { fileHandler } from '@vae/nn/node';
import pngjs from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, vae } from './helpers.js';

function expectPng(path: string): { width: number; height: number } {
  const png = pngjs.PNG.sync.read(readFileSync(path));
  expect(png.width).toBeGreaterThan(0);
  expect(png.height).toBeGreaterThan(0);
  return png;
}

function readJsonLines(path: string): Array<Record<string, number>> {
  return lines(readFileSync(path, 'utf8')).map(
    (line) => JSON.parse(line) as Record<string, number>,
  );
}

// A few hundred steps on a small MNIST slice: 3 epochs of 3,000 images in batches of 32.
const TRAIN = [
  '--backend',
  'wasm',
  '--limit',
  '3000',
  '--test-limit',
  '300',
  '--batch-size',
  '32',
  '--quiet',
];

describe('vae train, eval and sample end to end', () => {
  const root = mkdtempSync(join(tmpdir(), 'vae-e2e-'));
  const run = join(root, 'run');
  let trained: Awaited<ReturnType<typeof vae>>;

  beforeAll(async () => {
    trained = await vae('train', ...TRAIN, '--epochs', '3', '--latent', '8', '--out', run);
  });

  it('trains, improves the ELBO and prints the test ELBO', () => {
    expect(trained.stderr).not.toMatch(/vae: /);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/^test ELBO -\d+\.\d+ nats .* after 3 epochs/);
    const metrics = readJsonLines(join(run, 'metrics.jsonl'));
    expect(metrics.map((m) => m.epoch)).toEqual([0, 1, 2]);
    expect(metrics.at(-1)!.step).toBe(3 * Math.ceil(3000 / 32));
    for (const m of metrics) {
      expect(Number.isFinite(m.trainLoss) && Number.isFinite(m.testLoss) && m.trainKl! > 0).toBe(
        true,
      );
    }
    // The test negative ELBO falls by more than 10 nats from the first epoch to the last.
    expect(metrics[0]!.testLoss! - metrics.at(-1)!.testLoss!).toBeGreaterThan(10);
    expect(metrics.at(-1)!.trainLoss).toBeLessThan(metrics[0]!.trainLoss!);
  });

  it('writes valid PNGs: samples, reconstructions beside inputs, loss curves', () => {
    const samples = expectPng(join(run, 'samples.png'));
    expect(samples.width).toBe(2 + 8 * (56 + 2)); // 8 columns of 28 x 28 at scale 2, padding 2
    const reconstructions = expectPng(join(run, 'reconstructions.png'));
    expect(reconstructions.height).toBe(2 + 8 * (56 + 2)); // 4 rows of inputs, 4 of reconstructions
    expect(expectPng(join(run, 'loss.png')).width).toBe(720);
    expect(statSync(join(run, 'checkpoint.ckpt')).size).toBeGreaterThan(1000);
  });

  it('exports the model in the tfjs weights format, loadable by @vae/nn', async () => {
    const model = await loadVAE(fileHandler(join(run, 'model')));
    expect(model.latentDim).toBe(8);
    model.dispose();
  });

  it('resumes to more epochs with the saved settings, appending to metrics.jsonl', async () => {
    // No --limit or --batch-size: a resumed run takes them from its config.json.
    const resumed = await vae(
      'train',
      ...['--backend', 'wasm', '--test-limit', '300', '--quiet'],
      ...['--epochs', '4', '--out', run, '--resume'],
    );
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/after 4 epochs/);
    expect(readJsonLines(join(run, 'metrics.jsonl')).map((m) => m.epoch)).toEqual([0, 1, 2, 3]);
  });

  it('evaluates: ELBO terms, IWAE log-likelihood above the ELBO, active units, bits/dim', async () => {
    const result = await vae(
      'eval',
      run,
      '--k',
      '50',
      '--limit',
      '100',
      '--chunk',
      '25',
      '--json',
      '--backend',
      'wasm',
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, number>;
    expect(report.examples).toBe(100);
    expect(report.elbo).toBeCloseTo(report.reconstruction! - report.kl!, 3);
    expect(report.kl).toBeGreaterThan(0);
    // log p(x) >= IWAE_k >= ELBO in expectation; with k = 50 the gap is several nats.
    expect(report.elboGap).toBeGreaterThan(0);
    expect(report.logLikelihood).toBeLessThan(0);
    expect(report.bitsPerDim).toBeCloseTo(-report.logLikelihood! / (784 * Math.LN2), 6);
    expect(report.activeUnits).toBeGreaterThan(0);
    expect(report.activeUnits).toBeLessThanOrEqual(8);
    expect(JSON.parse(readFileSync(join(run, 'eval.json'), 'utf8'))).toEqual(report);
  });

  it('samples: samples, reconstructions, traversal and interpolation PNGs', async () => {
    const result = await vae('sample', run, '--n', '16', '--steps', '7', '--backend', 'wasm');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toHaveLength(4);
    expect(expectPng(join(run, 'sample', 'samples.png')).width).toBe(2 + 4 * 58);
    expectPng(join(run, 'sample', 'reconstructions.png'));
    const traversal = expectPng(join(run, 'sample', 'traversal.png'));
    expect([traversal.width, traversal.height]).toEqual([2 + 7 * 58, 2 + 8 * 58]); // 8 latent dims
    expect(expectPng(join(run, 'sample', 'interpolation.png')).height).toBe(2 + 58);
  });

  it('reports a corrupt checkpoint in one line and changes nothing', async () => {
    const copy = join(root, 'corrupt');
    cpSync(run, copy, { recursive: true });
    rmSync(join(copy, 'checkpoint.ckpt.prev'), { force: true });
    const bytes = readFileSync(join(copy, 'checkpoint.ckpt'));
    writeFileSync(join(copy, 'checkpoint.ckpt'), bytes.subarray(0, bytes.length - 100));
    const result = await vae('eval', copy, '--k', '5', '--limit', '10');
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^vae: .*checkpoint\.ckpt is corrupt: .*\n$/);
    expect(readFileSync(join(copy, 'checkpoint.ckpt')).length).toBe(bytes.length - 100);
  });

  it('reports a checkpoint of another architecture in one line', async () => {
    const copy = join(root, 'mismatch');
    cpSync(run, copy, { recursive: true });
    const config = JSON.parse(readFileSync(join(copy, 'config.json'), 'utf8'));
    writeFileSync(join(copy, 'config.json'), JSON.stringify({ ...config, latent: 16 }));
    const result = await vae('sample', copy);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^vae: .*checkpoint\.ckpt does not fit the model by name \(mis-shaped: encoder\.loc\.weight \(.*\[400, 8\], model: float32 \[400, 16\]\)/,
    );
  });

  it('stops on a non-finite loss or gradient with a one-line message', async () => {
    const out = join(root, 'diverged');
    const result = await vae('train', ...TRAIN, '--lr', '1e6', '--epochs', '1', '--out', out);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^vae: train: fit: .* (NaN|Infinity|infinite).*; stopped, .*\(try a lower --lr\)\n$/,
    );
  });

  it('reports a truncated MNIST file in one line, before creating the run folder', async () => {
    const mnist = join(root, 'mnist');
    mkdirSync(mnist);
    for (const split of ['train', 'test'] as const) {
      const files = mnistFiles(split);
      for (const path of [files.images, files.labels])
        cpSync(path, join(mnist, path.split(/[/\\]/).at(-1)!));
    }
    const images = join(mnist, 'train-images-idx3-ubyte');
    writeFileSync(images, readFileSync(images).subarray(0, 1000));
    const out = join(root, 'never');
    const result = await vae('train', ...TRAIN, '--mnist-dir', mnist, '--out', out);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^vae: loadMnist \(.*train-images-idx3-ubyte\): parseIdx: expected 47040016 bytes .* found 1000 \(truncated\)/,
    );
    expect(() => statSync(out)).toThrow();
  });
});
