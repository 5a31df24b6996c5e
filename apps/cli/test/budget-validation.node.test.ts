// Issue 14's training options: `--hours` ends a run cleanly at its budget (and
// `--stop-at-step` at the step it printed, without the clock) and
// `--resume` continues it to the uninterrupted result; `--validation` logs the
// importance-weighted bound on held-out training images and keeps best.ckpt;
// `eval` reports standard errors; `vae plot` draws the runs' metrics.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCheckpoint } from '@vae/trainer';
import { PLOT_PALETTE } from '@vae/viz';
import fc from 'fast-check';
import pngjs from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { standardError } from '../src/evaluate/evaluate-run.js';
import { minutesOf, runCurves } from '../src/plot/plot-runs.js';
import {
  checkpointWeights,
  readJsonLines,
  runVae,
  spawnVae,
  temporary,
  vae,
  waitFor,
} from './helpers.js';

// A tiny MLP on 2,000 MNIST images (the last 200 held out with --validation):
// an epoch is well under a second in-process.
const SMALL = [
  '--backend',
  'wasm',
  '--limit',
  '2000',
  '--test-limit',
  '100',
  '--batch-size',
  '64',
  '--hidden',
  '16',
  '--latent',
  '3',
  '--quiet',
];
const VALIDATION = ['--validation', '200', '--iwae-k', '5'];

const root = temporary('vae-budget-');

/** Every file of a folder with its bytes (base64), to show that nothing changed. */
function snapshot(folder: string): Record<string, string> {
  if (!existsSync(folder)) return {};
  return Object.fromEntries(
    readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [path, readFileSync(path).toString('base64')];
      }),
  );
}

type Line = {
  epoch: number;
  testLoss: number;
  elapsed: number;
  validation?: { iwae: number; elbo: number; k: number; examples: number };
};

const metrics = (run: string) => readJsonLines(join(run, 'metrics.jsonl')) as unknown as Line[];

// One budgeted run, stopped by --hours inside training, then resumed to a
// fixed epoch count; and the same run trained uninterrupted to that count.
const budgeted = join(root, 'budgeted');
const reference = join(root, 'reference');
let stop = { code: 0, stdout: '', stderr: '' };
let epochs = 0;

beforeAll(async () => {
  // Warm the backend so the budget is spent training.
  const warm = await vae('train', ...SMALL, '--epochs', '1', '--out', join(root, 'warm'));
  expect(warm.code, warm.stderr).toBe(0);
  stop = await vae('train', ...SMALL, ...VALIDATION, '--hours', '0.0025', '--out', budgeted);
  const checkpoint = decodeCheckpoint(readFileSync(join(budgeted, 'checkpoint.ckpt')));
  epochs = checkpoint.state.epoch + 2;
}, 240_000);

describe('vae train --hours', () => {
  it('stops cleanly at the budget: exit 0, checkpoint, pictures, model, a summary saying how to continue', () => {
    expect(stop.code, stop.stderr).toBe(0);
    const output = stop.stdout + stop.stderr;
    expect(output).toMatch(
      /stopped at the budget of --hours 0\.0025 after .*; checkpoint saved; continue with: vae train --out .*budgeted --resume --hours <h>/,
    );
    for (const file of ['checkpoint.ckpt', 'samples.png', 'reconstructions.png', 'clock.json']) {
      expect(existsSync(join(budgeted, file)), file).toBe(true);
    }
    expect(existsSync(join(budgeted, 'model', 'model.json'))).toBe(true);
    // Without --epochs the budget decides: the run's epochs are the maximum, labelled without a total.
    const config = JSON.parse(readFileSync(join(budgeted, 'config.json'), 'utf8')) as {
      epochs: number;
      learningRateSchedule: string;
    };
    expect(config.epochs).toBe(1_000_000);
    // A cosine decay needs a known end: a budget without --epochs keeps the rate constant.
    expect(config.learningRateSchedule).toBe('constant');
    expect(output).not.toMatch(/epoch \d+\/1000000/);
    expect(output).toMatch(/^epoch 1: train ELBO/m);
  });

  it('--resume continues to the result of the uninterrupted run: the same weights, test losses and validation bounds', async () => {
    const resumed = await vae(
      'train',
      '--backend',
      'wasm',
      '--quiet',
      '--out',
      budgeted,
      '--resume',
      '--epochs',
      String(epochs),
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout + resumed.stderr).not.toMatch(/stopped at the budget/);
    const uninterrupted = await vae(
      'train',
      ...SMALL,
      ...VALIDATION,
      '--epochs',
      String(epochs),
      '--lr-schedule',
      'constant', // what the budgeted run chose (no --epochs)
      '--out',
      reference,
    );
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);

    expect(checkpointWeights(join(budgeted, 'checkpoint.ckpt'))).toEqual(
      checkpointWeights(join(reference, 'checkpoint.ckpt')),
    );
    const a = metrics(budgeted);
    const b = metrics(reference);
    expect(a.map((line) => line.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i));
    expect(a.map((line) => line.testLoss)).toEqual(b.map((line) => line.testLoss));
    expect(a.map((line) => line.validation)).toEqual(
      b.map((line) => ({ ...line.validation, seconds: expect.any(Number) })),
    );
    // Wall-clock time goes on across the budget stop and the resume.
    for (let i = 1; i < a.length; i++) expect(a[i]!.elapsed).toBeGreaterThan(a[i - 1]!.elapsed);
  });

  it('with --epochs, whichever comes first: two epochs end the run long before a one-hour budget', async () => {
    const out = join(root, 'epochs-first');
    const result = await vae('train', ...SMALL, '--epochs', '2', '--hours', '1', '--out', out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/stopped at the budget/);
    expect(metrics(out).map((line) => line.epoch)).toEqual([0, 1]);
  });

  it('a bad --hours (or validation flag) is refused before anything is written', async () => {
    const fresh = join(root, 'never');
    for (const hours of ['0', '-1', 'abc', '1e9', 'NaN', '']) {
      const result = await vae('train', ...SMALL, '--hours', hours, '--out', fresh);
      expect(result.code, hours).not.toBe(0);
      expect(result.stderr).toMatch(/--hours/);
      expect(existsSync(fresh)).toBe(false);
    }
    for (const flags of [
      ['--iwae-k', '5'],
      ['--validate-every', '2'],
      ['--validation', '2000'],
    ]) {
      const result = await vae('train', ...SMALL, ...flags, '--out', fresh);
      expect(result.code, flags.join(' ')).toBe(1);
      expect(result.stderr).toMatch(/--validation|--iwae-k|--validate-every/);
      expect(existsSync(fresh)).toBe(false);
    }
    // On an existing run, a bad --hours with --resume changes no byte of it.
    const before = snapshot(reference);
    const result = await vae('train', '--out', reference, '--resume', '--hours', '-2');
    expect(result.code).not.toBe(0);
    expect(snapshot(reference)).toEqual(before);
  });
});

describe('vae train --stop-at-step', () => {
  const timed = join(root, 'timed');
  const stepped = join(root, 'stepped');
  const checkpointOf = (run: string) =>
    decodeCheckpoint(readFileSync(join(run, 'checkpoint.ckpt')));

  it('reproduces the weights a --hours run stopped at, from the step it printed, without the clock', async () => {
    // 1000 epochs of the cosine schedule: the budget stops it, mid-run.
    const budget = await vae(
      'train',
      ...SMALL,
      '--epochs',
      '1000',
      '--hours',
      '0.0015',
      '--out',
      timed,
    );
    expect(budget.code, budget.stderr).toBe(0);
    const printed = /step [\d,]+ \(--stop-at-step (\d+) reproduces these weights\)/.exec(
      budget.stdout + budget.stderr,
    );
    expect(printed, budget.stdout).not.toBeNull();
    const step = Number(printed![1]);
    expect(checkpointOf(timed).state.step).toBe(step);

    const byStep = await vae(
      'train',
      ...SMALL,
      '--epochs',
      '1000',
      '--stop-at-step',
      String(step),
      '--out',
      stepped,
    );
    expect(byStep.code, byStep.stderr).toBe(0);
    expect(byStep.stdout + byStep.stderr).toMatch(
      new RegExp(
        `stopped at --stop-at-step ${step}, at epoch \\d+/1000; checkpoint saved; continue with: vae train --out .*stepped --resume`,
      ),
    );
    expect(checkpointOf(stepped).state.step).toBe(step);
    expect(checkpointWeights(join(stepped, 'checkpoint.ckpt'))).toEqual(
      checkpointWeights(join(timed, 'checkpoint.ckpt')),
    );
    expect(existsSync(join(stepped, 'model', 'model.json'))).toBe(true);
  });

  it('refuses a step the run has already passed, changing no byte of it; a bad value writes nothing', async () => {
    const before = snapshot(stepped);
    const passed = await vae('train', '--out', stepped, '--resume', '--stop-at-step', '3');
    expect(passed.code).toBe(1);
    expect(passed.stderr).toMatch(
      /--stop-at-step 3: the run in .*stepped has already trained [\d,]+ steps; give a later step, or none/,
    );
    expect(snapshot(stepped)).toEqual(before);
    const fresh = join(root, 'never-stepped');
    for (const value of ['0', '-5', '2.5', 'abc']) {
      const result = await vae('train', ...SMALL, '--stop-at-step', value, '--out', fresh);
      expect(result.code, value).not.toBe(0);
      expect(result.stderr).toMatch(/--stop-at-step/);
      expect(existsSync(fresh)).toBe(false);
    }
  });
});

describe('vae train --validation', () => {
  it('logs the bound on every evaluated epoch and keeps the best epoch as best.ckpt', () => {
    const lines = metrics(reference);
    for (const line of lines) {
      expect(line.validation).toMatchObject({ k: 5, examples: 200 });
      // IWAE_k >= the k-sample ELBO estimate (Jensen), per image and so on average.
      expect(line.validation!.iwae).toBeGreaterThanOrEqual(line.validation!.elbo);
    }
    const best = lines.reduce((a, b) => (b.validation!.iwae > a.validation!.iwae ? b : a));
    const checkpoint = decodeCheckpoint(readFileSync(join(reference, 'best.ckpt')));
    expect(checkpoint.state.epoch).toBe(best.epoch + 1);
    expect(checkpoint.state.batchInEpoch).toBe(0);
  });

  it('--validate-every 2 evaluates every second epoch and the last', async () => {
    const out = join(root, 'every');
    const result = await vae(
      'train',
      ...SMALL,
      ...VALIDATION,
      '--validate-every',
      '2',
      '--epochs',
      '5',
      '--out',
      out,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(
      metrics(out)
        .filter((line) => line.validation !== undefined)
        .map((line) => line.epoch),
    ).toEqual([1, 3, 4]);
  });

  it('different seeds give different validation bounds', async () => {
    const out = join(root, 'seed-1');
    const result = await vae(
      'train',
      ...SMALL,
      ...VALIDATION,
      '--epochs',
      '1',
      '--seed',
      '1',
      '--out',
      out,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(metrics(out)[0]!.validation!.iwae).not.toBe(metrics(reference)[0]!.validation!.iwae);
  });
});

describe('a stop during the validation bound', () => {
  it('Ctrl-C inside the evaluation: the epoch is logged as skipped, and --resume evaluates it first, as the uninterrupted run did', async () => {
    const slow = ['--validation', '300', '--iwae-k', '100', '--epochs', '2'];
    const args = [...SMALL.filter((arg) => arg !== '--quiet'), ...slow];
    const reference = join(root, 'slow-reference');
    const uninterrupted = await vae('train', ...args, '--quiet', '--out', reference);
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);

    const out = join(root, 'slow-stopped');
    const run = spawnVae(['train', ...args, '--out', out]);
    await waitFor(run, (output) => /validation bound \(k = 100\) \.\.\. /.test(output));
    run.child.kill('SIGINT');
    const stopped = await run.exit;
    expect(stopped.code, stopped.output).toBe(130);
    expect(stopped.output).toMatch(
      /^epoch 1\/2: .*validation bound cut short \(a --resume evaluates it\)/m,
    );
    const cut = metrics(out);
    expect(cut.map((line) => line.epoch)).toEqual([0]);
    expect(cut[0]).toMatchObject({ validationSkipped: true });
    expect(cut[0]!.validation).toBeUndefined();

    const resumed = await runVae(['train', '--backend', 'wasm', '--out', out, '--resume']);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toMatch(/validation bound of epoch 1, cut short by the last stop/);
    const strip = (line: Line) => ({ ...line.validation, seconds: 0 });
    expect(metrics(out).map(strip)).toEqual(metrics(reference).map(strip));
    expect(metrics(out).some((line) => 'validationSkipped' in line)).toBe(false);
    expect(checkpointWeights(join(out, 'best.ckpt'))).toEqual(
      checkpointWeights(join(reference, 'best.ckpt')),
    );
  });
});

describe('vae eval', () => {
  it('reports the standard error across test images next to the ELBO and the NLL, and scores best.ckpt with --checkpoint best', async () => {
    const args = [
      'eval',
      reference,
      '--k',
      '8',
      '--limit',
      '60',
      '--batch-size',
      '25',
      '--backend',
      'wasm',
      '--quiet',
    ];
    const json = await vae(...args, '--json', '--checkpoint', 'best');
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as Record<string, number | string>;
    expect(result.checkpoint).toBe('best');
    expect(result.examples).toBe(60);
    for (const name of ['elboStandardError', 'logLikelihoodStandardError']) {
      expect(Number.isFinite(result[name]) && (result[name] as number) > 0, name).toBe(true);
    }
    const text = await vae(...args, '--checkpoint', 'best');
    const f = (name: string) => (result[name] as number).toFixed(2);
    expect(text.stdout).toContain(
      `NLL ${(-(result.logLikelihood as number)).toFixed(2)} ± ${f('logLikelihoodStandardError')}`,
    );
    expect(text.stdout).toContain(
      `${(result.elbo as number).toFixed(2)} ± ${f('elboStandardError')} nats`,
    );
  });

  it('vae sample --checkpoint best draws from best.ckpt, and refuses it for an exported model', async () => {
    const out = join(root, 'sample-best');
    const args = ['sample', reference, '--n', '4', '--steps', '3', '--backend', 'wasm', '--quiet'];
    const best = await vae(...args, '--checkpoint', 'best', '--out', out);
    expect(best.code, best.stderr).toBe(0);
    expect(existsSync(join(out, 'samples.png'))).toBe(true);
    const exported = await vae('sample', join(reference, 'model'), '--checkpoint', 'best');
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(/is an exported model .*--checkpoint best picks best\.ckpt/);
  });

  it('--checkpoint best on a run trained without --validation is a one-line refusal', async () => {
    const result = await vae(
      'eval',
      join(root, 'warm'),
      '--k',
      '2',
      '--limit',
      '5',
      '--checkpoint',
      'best',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no best\.ckpt: the run was trained without --validation/);
  });

  it('standardError is the sample standard deviation over sqrt(n), computed in two passes', () => {
    expect(standardError(1 + 4 + 9 + 16, 2.5, 4)).toBeCloseTo(Math.sqrt(5 / 3 / 4), 12);
    // As vae eval sums: squares of the distances from the first value, so values
    // large and close together (-500 and -500 + 1e-4) keep their digits.
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -500, max: 0, noNaN: true }), { minLength: 2, maxLength: 50 }),
        (values) => {
          const n = values.length;
          const mean = values.reduce((a, b) => a + b, 0) / n;
          const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
          const shift = values[0]!;
          const squares = values.reduce((a, v) => a + (v - shift) ** 2, 0);
          const expected = Math.sqrt(variance / n);
          expect(Math.abs(standardError(squares, mean - shift, n) - expected)).toBeLessThanOrEqual(
            1e-9 * (1 + expected),
          );
        },
      ),
      { examples: [[[-499.9999745697435, -499.99990063320837]]] },
    );
    expect(standardError(25, 5, 1)).toBeNaN();
  });
});

describe('vae plot', () => {
  it('writes a PNG from the metrics of two runs, one coloured line per curve', async () => {
    const out = join(root, 'plots', 'quality.png');
    const result = await vae(
      'plot',
      reference,
      join(root, 'epochs-first'),
      '--out',
      out,
      '--quiet',
    );
    expect(result.code, result.stderr).toBe(0);
    const png = pngjs.PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([900, 560]);
    // reference: test -ELBO and validation NLL; epochs-first: test -ELBO. Each colour is drawn.
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4)
      colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    for (const colour of PLOT_PALETTE.slice(0, 3))
      expect(colours.has(colour.slice(0, 3).join())).toBe(true);
    expect(colours.has(PLOT_PALETTE[3]!.slice(0, 3).join())).toBe(false);
  });

  it('spans the y range given, and refuses one that is empty before writing', async () => {
    const out = join(root, 'plots', 'zoomed.png');
    const bad = await vae('plot', reference, '--y-range', '120,80', '--out', out);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--y-range.*low < high, got '120,80'/);
    expect(existsSync(out)).toBe(false);
    const result = await vae('plot', reference, '--y-range', '80,120', '--out', out, '--quiet');
    expect(result.code, result.stderr).toBe(0);
    expect(pngjs.PNG.sync.read(readFileSync(out)).width).toBe(900);
  });

  it('a folder that is not a run writes no picture', async () => {
    const out = join(root, 'no-plot.png');
    const result = await vae('plot', reference, root, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not a run folder/);
    expect(existsSync(out)).toBe(false);
  });

  it('places epochs by elapsed time, or by their summed seconds in older runs', () => {
    const base = { step: 1, trainLoss: 1, beta: 1, samplesPerSecond: 1 };
    expect(
      minutesOf([
        { ...base, epoch: 0, seconds: 30 },
        { ...base, epoch: 1, seconds: 90 },
      ]),
    ).toEqual([0.5, 2]);
    const curves = runCurves('r', [
      { ...base, epoch: 0, seconds: 60, elapsed: 120, testLoss: 110 },
      {
        ...base,
        epoch: 1,
        seconds: 60,
        elapsed: 240,
        testLoss: 100,
        validation: { iwae: -95, elbo: -99, k: 5, examples: 10, seconds: 1 },
      },
    ]);
    expect(curves).toEqual({
      label: 'r',
      minutes: [2, 4],
      testNll: [110, 100],
      validation: { minutes: [4], nll: [95], k: 5 },
    });
  });
});
