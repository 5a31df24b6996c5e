// A seed is a promise: every command that takes --seed gives the same numbers and
// the same files for the same seed (0, the default, included) and different ones
// for different seeds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointWeights, temporary, vae } from './helpers.js';

// A tiny MLP on 256 MNIST images: one epoch is a few seconds in-process.
const SMALL = [
  '--backend',
  'wasm',
  '--limit',
  '256',
  '--test-limit',
  '50',
  '--batch-size',
  '64',
  '--hidden',
  '16',
  '--latent',
  '3',
  '--epochs',
  '1',
  '--quiet',
];

const root = temporary('vae-seeds-');
const run = join(root, 'run');

beforeAll(async () => {
  const trained = await vae('train', ...SMALL, '--out', run);
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);

/** eval's numbers without the time it took. */
async function evaluation(seed?: number): Promise<Record<string, number>> {
  const args = ['eval', run, '--k', '8', '--limit', '20', '--json', '--quiet', '--backend', 'wasm'];
  const result = await vae(...args, ...(seed === undefined ? [] : ['--seed', String(seed)]));
  expect(result.code, result.stderr).toBe(0);
  const { seconds: _, ...numbers } = JSON.parse(result.stdout) as Record<string, number>;
  return numbers;
}

/** The bytes of samples.png for a seed, in a folder of its own. */
async function samples(seed: number | undefined, out: string): Promise<string> {
  const args = [
    'sample',
    run,
    '--n',
    '9',
    '--steps',
    '3',
    '--out',
    out,
    '--quiet',
    '--backend',
    'wasm',
  ];
  const result = await vae(...args, ...(seed === undefined ? [] : ['--seed', String(seed)]));
  expect(result.code, result.stderr).toBe(0);
  return readFileSync(join(out, 'samples.png')).toString('base64');
}

let folders = 0;
const folder = () => join(root, `out-${folders++}`);

describe('seeds', () => {
  it('eval and sample with the default seed 0 give the same numbers and identical PNGs on every run', async () => {
    const [first, second] = [await evaluation(), await evaluation()];
    expect(first.seed).toBe(0);
    expect(second).toEqual(first);
    expect(await samples(undefined, folder())).toBe(await samples(undefined, folder()));
    for (const picture of ['reconstructions.png', 'traversal.png', 'interpolation.png']) {
      expect(readFileSync(join(root, 'out-0', picture))).toEqual(
        readFileSync(join(root, 'out-1', picture)),
      );
    }
  }, 120_000);

  const seedPair = fc
    .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }))
    .filter(([a, b]) => a !== b);

  it('vae eval: equal seeds repeat, different seeds differ', async () => {
    await fc.assert(
      fc.asyncProperty(seedPair, async ([a, b]) => {
        const once = await evaluation(a);
        expect(await evaluation(a)).toEqual(once);
        expect((await evaluation(b)).logLikelihood).not.toBe(once.logLikelihood);
      }),
      { numRuns: 3, seed: 1 },
    );
  }, 240_000);

  it('vae sample: equal seeds repeat, different seeds differ', async () => {
    await fc.assert(
      fc.asyncProperty(seedPair, async ([a, b]) => {
        const once = await samples(a, folder());
        expect(await samples(a, folder())).toBe(once);
        expect(await samples(b, folder())).not.toBe(once);
      }),
      { numRuns: 3, seed: 2 },
    );
  }, 240_000);

  it('vae train: equal seeds give bit-identical weights, different seeds differ', async () => {
    const train = async (seed: number) => {
      const out = folder();
      const result = await vae(
        'train',
        ...SMALL,
        '--limit',
        '64',
        '--seed',
        String(seed),
        '--out',
        out,
      );
      expect(result.code, result.stderr).toBe(0);
      return checkpointWeights(join(out, 'checkpoint.ckpt'));
    };
    await fc.assert(
      fc.asyncProperty(seedPair, async ([a, b]) => {
        const once = await train(a);
        expect(await train(a)).toEqual(once);
        expect(await train(b)).not.toEqual(once);
      }),
      { numRuns: 2, seed: 3 },
    );
  }, 300_000);

  it('vae gaussian: equal seeds repeat (numbers and samples), different seeds differ', async () => {
    const gaussian = async (seed: number) => {
      const out = folder();
      const result = await vae(
        'gaussian',
        ...['--data', 'mnist', '--limit', '300', '--test-limit', '40', '--shrinkage', '0.1'],
        ...['--samples', '4', '--seed', String(seed), '--out', out, '--json', '--quiet'],
        ...['--backend', 'wasm'],
      );
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { logLikelihood: number };
      return {
        logLikelihood: report.logLikelihood,
        png: readFileSync(join(out, 'samples.png')).toString('base64'),
      };
    };
    await fc.assert(
      fc.asyncProperty(seedPair, async ([a, b]) => {
        const once = await gaussian(a);
        expect(await gaussian(a)).toEqual(once);
        const other = await gaussian(b);
        expect(other.logLikelihood).not.toBe(once.logLikelihood);
        expect(other.png).not.toBe(once.png);
      }),
      { numRuns: 2, seed: 4 },
    );
  }, 300_000);
});
