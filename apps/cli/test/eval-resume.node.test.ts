// `vae eval` killed part way goes on from its last batch when run again, and ends
// with the figures of an uninterrupted evaluation; progress left by another
// evaluation (other settings) or a damaged file is set aside, not trusted.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runVae, spawnVae, temporary, vae } from './helpers.js';

const root = temporary('vae-eval-resume-');
const trained = join(root, 'trained');
// 240 test images in batches of 20: twelve batches, a progress file after each.
const EVAL = ['--backend', 'wasm', '--limit', '240', '--batch-size', '20', '--quiet'];

/** eval.json without its wall-clock seconds, which no two runs share. */
function figures(run: string): Record<string, unknown> {
  const { seconds, ...rest } = JSON.parse(readFileSync(join(run, 'eval.json'), 'utf8'));
  expect(seconds).toBeGreaterThan(0);
  return rest;
}

/** A copy of the trained run, to evaluate on its own. */
function copy(name: string): string {
  const run = join(root, name);
  cpSync(trained, run, { recursive: true });
  return run;
}

/** Starts `vae eval` on `run` and kills it (SIGKILL unless told) once it has saved some batches. */
async function killedPartWay(run: string, k: string, signal: NodeJS.Signals = 'SIGKILL') {
  const progress = join(run, 'eval.progress.json');
  const process = spawnVae(['eval', ...EVAL, '--k', k, run]);
  while (!existsSync(progress)) {
    const ended = await Promise.race([
      process.exit.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 20)),
    ]);
    if (ended) throw new Error(`eval ended before saving progress:\n${process.output()}`);
  }
  process.child.kill(signal);
  const ended = await process.exit;
  const { batches } = JSON.parse(readFileSync(progress, 'utf8')) as { batches: number };
  return { batches, signal: ended.signal, output: ended.output };
}

beforeAll(async () => {
  const run = await vae(
    'train',
    ...['--backend', 'wasm', '--limit', '512', '--test-limit', '20', '--epochs', '1'],
    ...['--hidden', '32', '--latent', '3', '--quiet', '--out', trained],
  );
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

describe('vae eval, stopped and run again', () => {
  it('goes on from its last batch and reports what an uninterrupted evaluation does', async () => {
    const whole = copy('whole');
    expect((await vae('eval', ...EVAL, '--k', '3000', whole)).code).toBe(0);
    const stopped = copy('stopped');
    const { batches } = await killedPartWay(stopped, '3000');
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThan(12);
    expect(existsSync(join(stopped, 'eval.json'))).toBe(false);
    const again = await runVae(['eval', ...EVAL, '--k', '3000', stopped]);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain(
      `going on from an unfinished evaluation: ${batches * 20} of 240`,
    );
    expect(figures(stopped)).toEqual(figures(whole));
    // Ctrl-C ends it at once, by the signal (no handler waits for the batch in
    // progress), and leaves what the next run goes on from, its lock included.
    const interrupted = copy('interrupted');
    const stop = await killedPartWay(interrupted, '3000', 'SIGINT');
    expect(stop.signal).toBe('SIGINT');
    expect(existsSync(join(interrupted, '.lock'))).toBe(true);
    const after = await runVae(['eval', ...EVAL, '--k', '3000', interrupted]);
    expect(after.code, after.output).toBe(0);
    expect(after.output).toContain(
      `going on from an unfinished evaluation: ${stop.batches * 20} of 240`,
    );
    expect(figures(interrupted)).toEqual(figures(whole));
    // Done: the progress is gone, so the next evaluation starts afresh.
    expect(existsSync(join(stopped, 'eval.progress.json'))).toBe(false);

    // The saved sums are used, not recomputed: 240 nats more in the saved sum of
    // log p(x) make the mean over 240 images 1 nat higher.
    const marked = copy('marked');
    await killedPartWay(marked, '3000');
    const path = join(marked, 'eval.progress.json');
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    saved.totals.logLikelihood += 240;
    writeFileSync(path, JSON.stringify(saved));
    expect((await runVae(['eval', ...EVAL, '--k', '3000', marked])).code).toBe(0);
    const resumed = figures(marked);
    const reference = figures(whole);
    expect((resumed.logLikelihood as number) - (reference.logLikelihood as number)).toBeCloseTo(
      1,
      9,
    );
    expect(resumed.elbo).toBe(reference.elbo);
  });

  it('sets aside the progress of other settings and a damaged file, naming why', async () => {
    const fresh = copy('fresh');
    expect((await vae('eval', ...EVAL, '--k', '2000', fresh)).code).toBe(0);

    const other = copy('other');
    await killedPartWay(other, '3000');
    const changed = await runVae(['eval', ...EVAL, '--k', '2000', other]);
    expect(changed.code, changed.output).toBe(0);
    expect(changed.output).toContain(
      'starting from the first example: eval.progress.json is not this evaluation',
    );
    expect(changed.output).toContain('k 3000 there, 2000 now');
    expect(figures(other)).toEqual(figures(fresh));

    const damaged = copy('damaged');
    writeFileSync(join(damaged, 'eval.progress.json'), '{"settings": [1, 2');
    const broken = await runVae(['eval', ...EVAL, '--k', '2000', damaged]);
    expect(broken.code, broken.output).toBe(0);
    expect(broken.output).toContain('(it is not JSON)');
    expect(figures(damaged)).toEqual(figures(fresh));
  });
});
