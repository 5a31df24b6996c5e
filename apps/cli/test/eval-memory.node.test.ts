// `vae eval` within its memory budget: without --chunk it decodes as many samples
// at once as --max-memory allows (the same figures as that --chunk given), and a
// --chunk or --batch-size that cannot fit is refused before anything is written.
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { temporary, vae } from './helpers.js';

const root = temporary('vae-eval-memory-');
const trained = join(root, 'trained');
const EVAL = ['--backend', 'wasm', '--limit', '40', '--batch-size', '20', '--k', '300'];

function copy(name: string): string {
  const run = join(root, name);
  cpSync(trained, run, { recursive: true });
  return run;
}

/** eval.json without its wall-clock seconds. */
function figures(run: string): Record<string, unknown> {
  const { seconds: _, ...rest } = JSON.parse(readFileSync(join(run, 'eval.json'), 'utf8'));
  return rest;
}

beforeAll(async () => {
  const run = await vae(
    'train',
    ...['--backend', 'wasm', '--limit', '256', '--test-limit', '20', '--epochs', '1'],
    ...['--hidden', '64', '--latent', '3', '--quiet', '--out', trained],
  );
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

describe('vae eval --max-memory', () => {
  it('decodes fewer samples at once when 100 would not fit, as that --chunk would', async () => {
    const chosen = copy('chosen');
    const small = await vae('eval', ...EVAL, '--max-memory', '2', chosen);
    expect(small.code, small.stderr).toBe(0);
    const line =
      /measuring the memory of a batch \.\.\. (\d+) samples per image at once: 100 would hold (\d+) MiB of tensors, above --max-memory 2 MiB/.exec(
        small.stderr,
      );
    expect(line, small.stderr).not.toBeNull();
    const chunk = Number(line![1]);
    expect(chunk).toBeGreaterThanOrEqual(1);
    expect(chunk).toBeLessThan(100);
    expect(figures(chosen).chunk).toBe(chunk);

    const given = copy('given');
    expect((await vae('eval', ...EVAL, '--chunk', String(chunk), given)).code).toBe(0);
    expect(figures(given)).toEqual(figures(chosen));

    // The default budget keeps 100 for this model, and says what a batch holds.
    const roomy = copy('roomy');
    const plenty = await vae('eval', ...EVAL, roomy);
    expect(plenty.stderr).toMatch(/\.\.\. 100 samples per image at once, \d+ MiB of tensors \(/);
    expect(figures(roomy).chunk).toBe(100);
  });

  it.each([
    [
      ['--chunk', '100', '--max-memory', '2'],
      /^vae: eval: --chunk 100 would hold \d+ MiB of tensors at once with this model and --batch-size 20, above --max-memory 2 MiB; use --chunk \d+ or less, a smaller --batch-size or a larger --max-memory$/,
    ],
    [
      ['--batch-size', '1000', '--limit', '1000', '--max-memory', '1'],
      /^vae: eval: one importance sample for each of --batch-size 1,000 examples would hold [\d.]+ (KiB|MiB) of tensors at once with this model, above --max-memory 1 MiB; use --batch-size \d+ or less, or a larger --max-memory$/,
    ],
  ])('refuses %j before writing anything', async (flags, message) => {
    const run = copy(`refused-${flags[0]}`);
    const before = readdirSync(run).sort();
    const refused = await vae('eval', ...EVAL, ...flags, run);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n').filter((line) => line.startsWith('vae:'))).toEqual([
      expect.stringMatching(message),
    ]);
    expect(readdirSync(run).sort()).toEqual(before);
    expect(existsSync(join(run, 'eval.json'))).toBe(false);
  });
});
