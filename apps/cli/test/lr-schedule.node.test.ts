// `vae train --lr-schedule`: cosine decay from --lr to 0 over the run's epochs
// (the default), or constant; recorded in config.json so resume, eval and sample
// see the run as it was trained.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learningRateOf } from '../src/train/train-loop.js';
import { temporary, vae } from './helpers.js';

const root = temporary('vae-lr-');

describe('learningRateOf', () => {
  it('decays a cosine from the rate at step 0 to half at mid-run and 0 at the end', () => {
    const schedule = learningRateOf(
      { learningRate: 4e-3, learningRateSchedule: 'cosine', epochs: 10 },
      50,
    );
    if (typeof schedule === 'number') throw new Error('expected a schedule');
    expect(schedule(0, 0)).toBeCloseTo(4e-3, 12);
    expect(schedule(250, 5)).toBeCloseTo(2e-3, 12);
    expect(schedule(125, 2)).toBeCloseTo(2e-3 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(schedule(500, 10)).toBeCloseTo(0, 12);
    // Extending the run (a resume with more epochs) stretches the same curve.
    const longer = learningRateOf(
      { learningRate: 4e-3, learningRateSchedule: 'cosine', epochs: 20 },
      50,
    );
    if (typeof longer === 'number') throw new Error('expected a schedule');
    expect(longer(500, 10)).toBeCloseTo(2e-3, 12);
  });

  it('keeps the rate constant for constant and for runs recorded before schedules', () => {
    expect(
      learningRateOf({ learningRate: 1e-3, learningRateSchedule: 'constant', epochs: 3 }, 7),
    ).toBe(1e-3);
    expect(learningRateOf({ learningRate: 1e-3, epochs: 3 }, 7)).toBe(1e-3);
  });
});

describe('vae train --lr-schedule', () => {
  const small = ['--backend', 'wasm', '--limit', '256', '--test-limit', '64', '--hidden', '8'];

  it('records cosine by default, and the peak rate 4e-3', async () => {
    const out = join(root, 'default');
    const run = await vae(
      'train',
      ...small,
      '--latent',
      '2',
      '--epochs',
      '1',
      '--quiet',
      '--out',
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.learningRateSchedule).toBe('cosine');
    expect(config.learningRate).toBe(4e-3);
  });

  it('rejects an unknown schedule before anything is written', async () => {
    const out = join(root, 'bad');
    const run = await vae('train', ...small, '--lr-schedule', 'linear', '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "option '--lr-schedule <name>' argument 'linear' is invalid. Allowed choices are cosine, constant.",
    );
    expect(existsSync(out)).toBe(false);
  });
});
