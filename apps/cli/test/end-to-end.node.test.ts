import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mnistFiles } from '@vae/data/node';
import { loadVAE } from '@vae/nn';
import { fileHandler } from '@vae/nn/node';
import pngjs from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, readJsonLines, temporary, vae } from './helpers.js';

function expectPng(path: string): { width: number; height: number } {
  const png = pngjs.PNG.sync.read(readFileSync(path));
  expect(png.width).toBeGreaterThan(0);
  expect(png.height).toBeGreaterThan(0);
  return png;
}

// Three epochs of 2,000 MNIST images in batches of 32 (about 190 steps): enough to
// learn, small enough for a loaded 2-core machine.
const TRAIN = [
  '--backend',
  'wasm',
  '--limit',
  '2000',
  '--test-limit',
  '300',
  '--batch-size',
  '32',
  '--hidden',
  '200',
];

/** Third-party banners and notices that must never reach the user. */
const NOISE = [
  /Hi, looks like you are running TensorFlow\.js/,
  /install our node backend/,
  /Update available/,
  /npm notice/,
  /telemetry/i,
  /ELIFECYCLE/,
];

describe('vae train, eval and sample end to end on MNIST', () => {
  const root = temporary('vae-e2e-');
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
    expect(metrics.at(-1)!.step).toBe(3 * Math.ceil(2000 / 32));
    for (const m of metrics) {
      expect(Number.isFinite(m.trainLoss) && Number.isFinite(m.testLoss) && m.trainKl! > 0).toBe(
        true,
      );
      // The process's resident memory after the epoch: more than the wasm heap's first 16 MiB.
      expect(m.rss).toBeGreaterThan(16 * 2 ** 20);
    }
    // The test negative ELBO falls by more than 10 nats from the first epoch to the last.
    expect(metrics[0]!.testLoss! - metrics.at(-1)!.testLoss!).toBeGreaterThan(10);
    expect(metrics.at(-1)!.trainLoss).toBeLessThan(metrics[0]!.trainLoss!);
  });

  it('says what it is doing: a line per setup phase, an epoch summary per epoch, what to run next', () => {
    const err = trained.stderr;
    expect(err).toMatch(
      /^loading MNIST \.\.\. 2,000 training and 300 test images of 28x28x1, 8-bit \(/m,
    );
    expect(err).toMatch(/^starting the wasm backend \.\.\. wasm \((no )?SIMD, \d threads?\) \(/m);
    expect(err).toMatch(/^model: mlp 784-200-8, Bernoulli, [\d,]+ parameters$/m);
    // One summary line per epoch with the epoch's mean train ELBO and KL and the test ELBO,
    // the same numbers as metrics.jsonl.
    const metrics = readJsonLines(join(run, 'metrics.jsonl')) as unknown as Array<{
      train: Record<string, number>;
      test: Record<string, number>;
    }>;
    const summaries = lines(err).filter((line) => /^epoch \d\/3: train ELBO/.test(line));
    expect(summaries).toHaveLength(3);
    summaries.forEach((line, epoch) => {
      const { train, test } = metrics[epoch]!;
      expect(line).toContain(
        `epoch ${epoch + 1}/3: train ELBO ${train.elbo!.toFixed(2)} (KL ${train.kl!.toFixed(2)})`,
      );
      expect(line).toContain(`test ELBO ${test.elbo!.toFixed(2)} nats`);
      expect(line).toMatch(/bits\/dim \| [\d.]+ s, [\d,]+ samples\/s$/);
    });
    expect(err).toMatch(new RegExp(`^next: vae eval ${run.replaceAll('/', '\\/')}`, 'm'));
    for (const noise of NOISE) expect(trained.stdout + err).not.toMatch(noise);
  });

  it('writes a run folder with an identity: a run id in config.json and in the checkpoint', async () => {
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(config.data).toEqual({ source: 'mnist' });
    const { decodeCheckpoint } = await import('@vae/trainer');
    const checkpoint = decodeCheckpoint(readFileSync(join(run, 'checkpoint.ckpt')));
    expect(checkpoint.state.runId).toBe(config.runId);
    expect(() => statSync(join(run, '.lock'))).toThrow(); // released
  });

  it('writes labelled PNGs: samples, inputs above their reconstructions, loss curves', () => {
    const samples = expectPng(join(run, 'samples.png'));
    expect(samples.width).toBe(2 + 8 * (56 + 2)); // 8 columns of 28 x 28 at scale 2, padding 2
    const reconstructions = expectPng(join(run, 'reconstructions.png'));
    // 8 rows (input, recon, ...) plus the title line; row labels widen it.
    expect(reconstructions.height).toBe(15 + 2 + 8 * (56 + 2));
    expect(reconstructions.width).toBeGreaterThan(2 + 8 * (56 + 2));
    expect(expectPng(join(run, 'loss.png')).width).toBe(720);
    expect(statSync(join(run, 'checkpoint.ckpt')).size).toBeGreaterThan(1000);
  });

  it('exports the model in the tfjs weights format, loadable by @vae/nn', async () => {
    const model = await loadVAE(fileHandler(join(run, 'model')));
    expect(model.latentDim).toBe(8);
    model.dispose();
  });

  it('resumes to more epochs with the saved settings, saying where it resumes', async () => {
    // No --limit or --batch-size: a resumed run takes them from its config.json.
    const resumed = await vae(
      'train',
      '--backend',
      'wasm',
      '--epochs',
      '4',
      '--out',
      run,
      '--resume',
      '--lr',
      '0.1',
    );
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('ignoring --lr with --resume');
    expect(resumed.stderr).toMatch(
      /^resuming at epoch 4\/4, batch 0\/63 \(step 189; 3 epochs done\)$/m,
    );
    expect(resumed.stderr).toMatch(/^epoch 4\/4: train ELBO/m);
    expect(resumed.stderr).not.toMatch(/^epoch [123]\/4/m);
    expect(resumed.stdout).toMatch(/after 4 epochs/);
    expect(readJsonLines(join(run, 'metrics.jsonl')).map((m) => m.epoch)).toEqual([0, 1, 2, 3]);
    expect(JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')).epochs).toBe(4);
  });

  it('evaluates with progress: ELBO terms, IWAE log-likelihood above the ELBO, active units, bits/dim', async () => {
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
    expect(result.stderr).toMatch(
      /^eval: 100\/100 examples \(100%\) \| log p\(x\) -[\d.]+ \| [\d.]+ s$/m,
    );
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
    expect(result.stderr).toMatch(/^sample: 4\/4 pictures \(100%\)/m);
    // A 4 x 4 grid of 28 x 28 at scale 2 under its title line.
    expect(expectPng(join(run, 'sample', 'samples.png')).height).toBe(15 + 2 + 4 * 58);
    expectPng(join(run, 'sample', 'reconstructions.png'));
    const traversal = expectPng(join(run, 'sample', 'traversal.png'));
    // 8 latent rows and the title and column-label lines above them.
    expect(traversal.height).toBe(15 + 11 + 2 + 8 * 58);
    expect(expectPng(join(run, 'sample', 'interpolation.png')).height).toBe(15 + 2 + 58);
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
    expect(result.stderr).toMatch(
      /^vae: eval: .*checkpoint\.ckpt is corrupt: .*; there is no previous checkpoint\n$/,
    );
    expect(readFileSync(join(copy, 'checkpoint.ckpt')).length).toBe(bytes.length - 100);
  });

  it('reports a checkpoint of another architecture in one line', async () => {
    const copy = join(root, 'mismatch');
    cpSync(run, copy, { recursive: true });
    const config = JSON.parse(readFileSync(join(copy, 'config.json'), 'utf8'));
    writeFileSync(join(copy, 'config.json'), JSON.stringify({ ...config, latent: 16 }));
    const result = await vae('sample', copy);
    expect(result.code).toBe(1);
    expect(lines(result.stderr).filter((l) => l.startsWith('vae:'))).toHaveLength(1);
    expect(result.stderr).toMatch(
      /vae: .*checkpoint\.ckpt does not fit the model by name \(mis-shaped: encoder\.loc\.weight \(.*\[200, 8\], model: float32 \[200, 16\]\)/,
    );
  });

  it('stops on a non-finite loss with a one-line message, leaving a folder train and --resume accept', async () => {
    const out = join(root, 'diverged');
    const result = await vae(
      'train',
      ...TRAIN,
      '--lr',
      '1e6',
      '--epochs',
      '1',
      '--out',
      out,
      '--quiet',
    );
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^vae: train: fit: .* (NaN|Infinity|infinite).*; stopped, no checkpoint had been written yet \(try a lower --lr\)\n$/,
    );
    // Nothing was checkpointed: the folder is an unstarted run, which a new train takes over.
    const again = await vae(
      'train',
      ...TRAIN,
      '--limit',
      '64',
      '--epochs',
      '1',
      '--out',
      out,
      '--quiet',
    );
    expect(again.code).toBe(0);
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
    const result = await vae('train', ...TRAIN, '--mnist-dir', mnist, '--out', out, '--quiet');
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^vae: loadMnist \(.*train-images-idx3-ubyte\): parseIdx: expected 47040016 bytes .* found 1000 \(truncated\)/,
    );
    expect(() => statSync(out)).toThrow();
  });
});
