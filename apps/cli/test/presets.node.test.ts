import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVAE } from '@vae/nn';
import { fileHandler } from '@vae/nn/node';
import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parameterCount } from '../src/internal/architecture.js';
import { CliError } from '../src/internal/errors.js';
import { buildModel } from '../src/internal/model.js';
import {
  PRESETS as CLI_PRESETS,
  checkRunConfig,
  PRIORS,
  type RunConfig,
} from '../src/internal/run-config.js';
import { readJsonLines, temporary, vae } from './helpers.js';

// Every preset, prior and posterior the CLI offers, end to end on MNIST: `vae train`
// (one short epoch of 64 images), `--resume` to a second epoch from the saved
// config.json, `vae eval` and `vae sample`. Priors go with the small mlp preset,
// presets with the default prior: each run is tiny, the point is that every
// combination builds, trains, saves, loads and draws, not that it learns.

const TINY = [
  '--backend',
  'wasm',
  '--limit',
  '64',
  '--test-limit',
  '32',
  '--batch-size',
  '32',
  '--latent',
  '4',
  '--quiet',
];

/** The presets `vae train --preset` accepts, each with flags that keep it tiny. */
const PRESETS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['mlp', ['--hidden', '32']],
  ['conv', ['--conv-channels', '4,8']],
  ['hierarchical', ['--hidden', '32']],
  ['resnet', ['--conv-channels', '4,8']],
  ['autoregressive', ['--hidden', '32']],
];

/** Each prior on the mlp preset (a few mixture components and pseudo-inputs). */
const CASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ...PRESETS.map(
    ([preset, flags]) => [`--preset ${preset}`, ['--preset', preset, ...flags]] as const,
  ),
  ...PRIORS.filter((prior) => prior !== 'standard-normal').map(
    (prior) =>
      [
        `--prior ${prior}`,
        ['--preset', 'mlp', '--hidden', '32', '--prior', prior, '--prior-components', '3'],
      ] as const,
  ),
  // An inverse autoregressive flow on the Gaussian posterior, on both presets that take one.
  ['--posterior iaf', ['--preset', 'mlp', '--hidden', '32', '--posterior', 'iaf']],
  [
    '--preset conv --posterior iaf',
    ['--preset', 'conv', '--conv-channels', '4,8', '--posterior', 'iaf', '--flow-layers', '1'],
  ],
  // The hierarchical preset's VampPrior is over its top latent z2, fed through both levels.
  [
    '--preset hierarchical --prior vamp',
    ['--preset', 'hierarchical', '--hidden', '32', '--prior', 'vamp', '--prior-components', '3'],
  ],
];

function expectPng(path: string): void {
  const png = pngjs.PNG.sync.read(readFileSync(path));
  expect(png.width).toBeGreaterThan(0);
  expect(png.height).toBeGreaterThan(0);
}

describe('every preset and prior trains, resumes, evaluates and samples on MNIST', () => {
  const root = temporary('vae-presets-');

  it('covers every preset the CLI offers', () => {
    expect(PRESETS.map(([preset]) => preset)).toEqual([...CLI_PRESETS]);
  });

  it('covers every prior the CLI offers', () => {
    for (const prior of PRIORS.filter((p) => p !== 'standard-normal')) {
      expect(CASES.map(([name]) => name)).toContain(`--prior ${prior}`);
    }
  });

  it.each(CASES)('%s', async (name, flags) => {
    const run = join(root, name.replace(/[^a-z0-9]+/gi, '-'));

    const trained = await vae('train', ...TINY, ...flags, '--epochs', '1', '--out', run);
    expect(trained.stderr).not.toMatch(/^vae: /m);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/^test ELBO -\d+\.\d+ nats .* after 1 epoch/);

    // config.json loads back: --resume rebuilds the model from it and trains on.
    const resumed = await vae(
      'train',
      '--backend',
      'wasm',
      '--quiet',
      '--epochs',
      '2',
      '--out',
      run,
      '--resume',
    );
    expect(resumed.stderr).not.toMatch(/^vae: /m);
    expect(resumed.code).toBe(0);
    const metrics = readJsonLines(join(run, 'metrics.jsonl')) as unknown as Array<{
      epoch: number;
      train: Record<string, number>;
      test: Record<string, number>;
    }>;
    expect(metrics.map((m) => m.epoch)).toEqual([0, 1]);
    for (const { train, test } of metrics) {
      for (const value of [train.elbo, train.kl, test.elbo]) {
        expect(Number.isFinite(value)).toBe(true);
      }
      expect(train.elbo).toBeLessThan(0);
      expect(train.kl).toBeGreaterThanOrEqual(0);
    }
    for (const picture of ['samples.png', 'reconstructions.png', 'loss.png']) {
      expectPng(join(run, picture));
    }
    // The exported model loads with @vae/nn, whatever its architecture.
    const exported = await loadVAE(fileHandler(join(run, 'model')));
    expect(exported.dataShape).toEqual([28, 28, 1]);
    exported.dispose();

    const evaluated = await vae(
      'eval',
      run,
      '--k',
      '4',
      '--limit',
      '16',
      '--chunk',
      '4',
      '--json',
      '--quiet',
      '--backend',
      'wasm',
    );
    expect(evaluated.stderr).not.toMatch(/^vae: /m);
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout) as Record<string, number>;
    expect(report.examples).toBe(16);
    for (const key of ['elbo', 'reconstruction', 'kl', 'logLikelihood', 'bitsPerDim']) {
      expect(Number.isFinite(report[key])).toBe(true);
    }
    expect(report.elbo).toBeCloseTo(report.reconstruction! - report.kl!, 3);
    expect(report.logLikelihood).toBeLessThan(0);

    const sampled = await vae(
      'sample',
      run,
      '--n',
      '4',
      '--steps',
      '3',
      '--quiet',
      '--backend',
      'wasm',
    );
    expect(sampled.stderr).not.toMatch(/^vae: /m);
    expect(sampled.code).toBe(0);
    for (const picture of [
      'samples.png',
      'reconstructions.png',
      'traversal.png',
      'interpolation.png',
    ]) {
      expectPng(join(run, 'sample', picture));
    }
  });
});

/** A small valid config the cases below change. */
const BASE: RunConfig = {
  format: 'vae-run',
  version: 2,
  runId: '00000000-0000-4000-8000-000000000000',
  data: { source: 'mnist' },
  itemShape: [28, 28, 1],
  limit: 64,
  preset: 'mlp',
  likelihood: 'bernoulli',
  latent: 6,
  prior: 'standard-normal',
  epochs: 1,
  batchSize: 32,
  learningRate: 1e-3,
  beta: 1,
  warmup: 0,
  seed: 0,
};

describe('a config that does not fit its preset', () => {
  it.each([
    [{ preset: 'resnet', channels: [4, 8, 6] }, /divisible by 8, got itemShape \[28,28,1\]/],
    [{ preset: 'resnet', itemShape: [784] }, /the resnet preset needs images \[h, w, c\]/],
    [
      { preset: 'hierarchical', likelihood: 'logistic-mixture' },
      /the hierarchical preset has no logistic-mixture likelihood/,
    ],
    [
      { preset: 'resnet', posterior: 'iaf', flowLayers: 2 },
      /the resnet preset has no IAF posterior \(use --preset mlp, conv or autoregressive\)/,
    ],
    [
      { preset: 'autoregressive', likelihood: 'gaussian' },
      /the autoregressive preset models binary data \(--likelihood bernoulli\), got gaussian/,
    ],
    [
      { likelihood: 'logistic-mixture', coupled: true },
      /coupled colour channels need the logistic-mixture likelihood and RGB data \(itemShape ending in 3\), got logistic-mixture on itemShape \[28,28,1\]/,
    ],
  ] as Array<[Partial<RunConfig>, RegExp]>)('%j is a one-line CliError', (fields, message) => {
    expect(() => checkRunConfig({ ...BASE, ...fields }, 'config.json')).toThrow(message);
    expect(() => checkRunConfig({ ...BASE, ...fields }, 'config.json')).toThrow(CliError);
  });
});

describe('the parameter count known from a config before building', () => {
  it.each([
    { preset: 'mlp', hidden: [24, 12] },
    { preset: 'conv', channels: [4, 8] },
    { preset: 'mlp', hidden: [24, 12], posterior: 'iaf', flowLayers: 3 },
    { preset: 'mlp', likelihood: 'logistic-mixture', components: 2, posterior: 'iaf' },
    { preset: 'conv', channels: [4, 8], posterior: 'iaf', flowLayers: 1, prior: 'mixture' },
    {
      preset: 'conv',
      itemShape: [12, 12, 3],
      channels: [4, 8],
      likelihood: 'logistic-mixture',
      components: 2,
      coupled: true,
    },
    { preset: 'mlp', itemShape: [6, 6, 3], likelihood: 'logistic-mixture', coupled: true },
    { preset: 'hierarchical' },
    { preset: 'hierarchical', hidden: [30, 17], latent: 5, prior: 'vamp', priorComponents: 3 },
    { preset: 'hierarchical', likelihood: 'gaussian', prior: 'mixture', priorComponents: 4 },
    { preset: 'resnet' },
    {
      preset: 'resnet',
      itemShape: [32, 24, 3],
      channels: [4, 8, 6],
      likelihood: 'gaussian',
      prior: 'diagonal',
    },
    { preset: 'resnet', channels: [3], prior: 'vamp', priorComponents: 2 },
    { preset: 'autoregressive' },
    { preset: 'autoregressive', hidden: [24, 12], posterior: 'iaf', prior: 'vamp' },
  ] as Array<Partial<RunConfig>>)("%j is the built model's", (fields) => {
    const config = { ...BASE, ...fields };
    const model = buildModel(config);
    try {
      const built = model.parameters().reduce((sum, variable) => sum + variable.size, 0);
      expect(parameterCount(config)).toBe(built);
    } finally {
      model.dispose();
    }
  });
});
