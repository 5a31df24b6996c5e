// `vae train --lr-schedule`: cosine decay from --lr to 0 over the run's epochs
// (the default), or constant, after `--lr-warmup` steps of linear warm-up (the
// conv preset's default); recorded in config.json so resume, eval and sample see
// the run as it was trained.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learningRateOf } from '../src/train/train-loop.js';
import { checkpointWeights, temporary, vae } from './helpers.js';

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

  it('warms up linearly from 0, then decays the cosine over the steps after the warm-up', () => {
    const schedule = learningRateOf(
      { learningRate: 4e-3, learningRateSchedule: 'cosine', learningRateWarmup: 100, epochs: 10 },
      50,
    );
    if (typeof schedule === 'number') throw new Error('expected a schedule');
    expect(schedule(0, 0)).toBe(0);
    expect(schedule(50, 1)).toBeCloseTo(2e-3, 12);
    expect(schedule(100, 2)).toBeCloseTo(4e-3, 12);
    expect(schedule(300, 6)).toBeCloseTo(2e-3, 12);
    expect(schedule(500, 10)).toBeCloseTo(0, 12);
    const constant = learningRateOf(
      { learningRate: 1e-3, learningRateSchedule: 'constant', learningRateWarmup: 10, epochs: 3 },
      7,
    );
    if (typeof constant === 'number') throw new Error('expected a schedule');
    expect([constant(0, 0), constant(5, 0), constant(10, 1), constant(20, 2)]).toEqual([
      0, 5e-4, 1e-3, 1e-3,
    ]);
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
  // 256 images in batches of 32 for 2 epochs: 16 steps.
  const tinyConv = [
    ...small.slice(0, 6),
    ...['--preset', 'conv', '--conv-channels', '2,4', '--latent', '2'],
    ...['--batch-size', '32', '--epochs', '2'],
  ];

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

  it('warms the conv preset up by default (at most half the run), the mlp not', async () => {
    const conv = join(root, 'conv');
    const run = await vae('train', ...tinyConv, '--quiet', '--out', conv);
    expect(run.code, run.stderr).toBe(0);
    // 16 steps, so 8 of warm-up rather than 200.
    expect(JSON.parse(readFileSync(join(conv, 'config.json'), 'utf8')).learningRateWarmup).toBe(8);
    const mlp = JSON.parse(readFileSync(join(root, 'default', 'config.json'), 'utf8'));
    expect(mlp.learningRateWarmup).toBeUndefined();
  });

  it('a run stopped inside its warm-up resumes to the uninterrupted run: the same weights', async () => {
    const args = [...tinyConv, '--lr-warmup', '6', '--quiet'];
    const stopped = join(root, 'stopped');
    const first = await vae('train', ...args, '--stop-at-step', '3', '--out', stopped);
    expect(first.code, first.stderr).toBe(0);
    const resumed = await vae(
      'train',
      '--backend',
      'wasm',
      '--quiet',
      '--out',
      stopped,
      '--resume',
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    const whole = join(root, 'whole');
    const uninterrupted = await vae('train', ...args, '--out', whole);
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(stopped, 'config.json'), 'utf8')).learningRateWarmup).toBe(
      6,
    );
    expect(checkpointWeights(join(stopped, 'checkpoint.ckpt'))).toEqual(
      checkpointWeights(join(whole, 'checkpoint.ckpt')),
    );
  });

  it('rejects a warm-up as long as a cosine run before anything is written', async () => {
    const out = join(root, 'long-warmup');
    const run = await vae('train', ...small, '--epochs', '1', '--lr-warmup', '2', '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'train: --lr-warmup 2 would last the whole run (2 steps); give fewer steps, or --lr-schedule constant',
    );
    expect(existsSync(out)).toBe(false);
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
