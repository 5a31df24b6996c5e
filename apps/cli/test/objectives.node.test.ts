// `vae train --train-k` (the importance-weighted bound as the training loss) and
// `--free-bits` (a KL floor per latent dimension): recorded in config.json, seen
// in the metrics, and refused before anything is written where they do not fit.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines, readJsonLines, temporary, vae } from './helpers.js';

const root = temporary('vae-objectives-');
const small = [
  '--backend',
  'wasm',
  '--limit',
  '256',
  '--test-limit',
  '64',
  '--hidden',
  '8',
  '--latent',
  '2',
  '--epochs',
  '1',
  '--quiet',
];

describe('vae train --train-k', () => {
  it('trains the importance-weighted bound and logs it above the ELBO estimate', async () => {
    const out = join(root, 'iwae');
    const run = await vae('train', ...small, '--train-k', '4', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).trainK).toBe(4);
    const [epoch] = readJsonLines(join(out, 'metrics.jsonl'));
    const train = epoch!.train as unknown as { iwae: number; elbo: number };
    // log mean exp of the log-weights is at least their mean (Jensen), batch by batch.
    expect(train.iwae).toBeGreaterThan(train.elbo);
    expect(epoch!.trainLoss).toBeCloseTo(-train.iwae, 4);
    expect(run.stderr).toMatch(/epoch 1\/1: train IWAE\(k=4\) -\d+\.\d\d \(ELBO -\d+\.\d\d\)/);
  });

  it('records nothing for k = 1: the run trains the ELBO as before', async () => {
    const out = join(root, 'k1');
    const run = await vae('train', ...small, '--train-k', '1', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).not.toHaveProperty('trainK');
    expect(run.stderr).toMatch(/train ELBO -\d+\.\d\d \(KL \d+\.\d\d\)/);
  });
});

describe('vae train --free-bits', () => {
  it('charges at least the floor per dimension, so the loss exceeds the negative ELBO', async () => {
    const out = join(root, 'free-bits');
    const run = await vae('train', ...small, '--free-bits', '2', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).freeBits).toBe(2);
    const [epoch] = readJsonLines(join(out, 'metrics.jsonl'));
    const train = epoch!.train as unknown as { elbo: number; kl: number };
    // Two dimensions floored at 2 nats each: a penalty of at least 4 nats, above the
    // KL of a barely trained encoder.
    expect(train.kl).toBeLessThan(4);
    expect(epoch!.trainLoss).toBeGreaterThan(-train.elbo + 1e-3);
  });
});

describe('vae train refuses objectives that do not fit, before writing', () => {
  it.each([
    [['--train-k', '4', '--warmup', '2'], 'has no KL term to weigh; drop --warmup 2'],
    [['--train-k', '4', '--beta', '0.5'], 'has no KL term to weigh; drop --beta 0.5'],
    [['--train-k', '4', '--free-bits', '1'], 'has no KL term for --free-bits'],
    [['--free-bits', '1', '--prior', 'vamp'], '--prior vamp has none'],
    [['--free-bits', '1', '--posterior', 'iaf'], '--posterior iaf has none'],
    [['--free-bits', '1', '--preset', 'hierarchical'], '--preset hierarchical has none'],
    [['--train-k', '0'], "option '--train-k <k>' argument '0' is invalid"],
    [['--train-k', '1001'], 'expected at most 1,000'],
    [['--free-bits', '-1'], 'expected a positive number'],
  ])('%j', async (flags, message) => {
    const out = join(root, `refused-${flags.join('')}`);
    const run = await vae('train', ...small, ...flags, '--out', out);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });
});
