// A run folder is never damaged by a command that refuses: resuming a finished
// run, a checkpoint from another run, a second trainer on the same run, a
// damaged or hostile config.json, an occupied output folder.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, spawnVae, temporary, vae, waitFor } from './helpers.js';

const SMALL = [
  '--backend',
  'wasm',
  '--limit',
  '128',
  '--test-limit',
  '30',
  '--batch-size',
  '64',
  '--hidden',
  '16',
  '--latent',
  '3',
  '--quiet',
];

const root = temporary('vae-safety-');
const run = join(root, 'run');
const other = join(root, 'other');

/** Every file of a folder with its bytes, to show nothing changed. */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isFile()) files[name] = readFileSync(path).toString('base64');
  }
  return files;
}

beforeAll(async () => {
  for (const out of [run, other]) {
    const result = await vae('train', ...SMALL, '--epochs', '2', '--out', out);
    expect(result.code, result.stderr).toBe(0);
  }
}, 180_000);

describe('a run folder is never damaged by a refusal', () => {
  it('--resume --epochs 1 on a finished 2-epoch run refuses and rewrites nothing', async () => {
    const before = snapshot(run);
    const result = await vae(
      'train',
      '--out',
      run,
      '--resume',
      '--epochs',
      '1',
      '--backend',
      'wasm',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^vae: train: the run has finished 2 epochs; --epochs 1 would train nothing \(pass --epochs 3 or more to train longer\); nothing was changed\n$/,
    );
    const plain = await vae('train', '--out', run, '--resume', '--backend', 'wasm', '--quiet');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('has already finished its 2 epochs');
    expect(snapshot(run)).toEqual(before);
  });

  it('a checkpoint copied in from another run is refused by eval, sample and resume', async () => {
    const copy = join(root, 'copied');
    cpSync(run, copy, { recursive: true });
    cpSync(join(other, 'checkpoint.ckpt'), join(copy, 'checkpoint.ckpt'));
    const before = snapshot(copy);
    const runId = JSON.parse(readFileSync(join(copy, 'config.json'), 'utf8')).runId;
    const otherId = JSON.parse(readFileSync(join(other, 'config.json'), 'utf8')).runId;
    for (const argv of [
      ['eval', copy, '--k', '2', '--limit', '5'],
      ['sample', copy],
      ['train', '--out', copy, '--resume', '--epochs', '3'],
    ]) {
      const result = await vae(...argv, '--backend', 'wasm', '--quiet');
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toContain(
        `checkpoint.ckpt belongs to run ${otherId}, not to the run of`,
      );
      expect(result.stderr).toContain(`(${runId}); was it copied from another run folder?`);
    }
    expect(snapshot(copy)).toEqual(before);
  });

  it('a failed resume (a corrupt checkpoint) leaves config.json and metrics.jsonl untouched', async () => {
    const copy = join(root, 'corrupt');
    cpSync(run, copy, { recursive: true });
    const bytes = readFileSync(join(copy, 'checkpoint.ckpt'));
    bytes[bytes.length - 10]! ^= 0xff;
    writeFileSync(join(copy, 'checkpoint.ckpt'), bytes);
    const before = snapshot(copy);
    const result = await vae(
      'train',
      '--out',
      copy,
      '--resume',
      '--epochs',
      '5',
      '--backend',
      'wasm',
      '--quiet',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/checkpoint\.ckpt is corrupt: CRC-32 mismatch/);
    expect(result.stderr).toMatch(
      /the previous checkpoint, an epoch older, is .*checkpoint\.ckpt\.prev/,
    );
    expect(snapshot(copy)).toEqual(before);
  });

  it.each([
    [
      'null',
      null,
      /config\.json is not a valid run config: the file: expected object, received null, got null/,
    ],
    [
      'a latent of 1e12',
      { latent: 1e12 },
      /`latent`: Too big: expected number to be <=4096, got 1000000000000/,
    ],
    [
      'a hidden width of 1e9',
      { hidden: [1e9] },
      /`hidden\.0`: Too big: expected number to be <=16384/,
    ],
    ['a string seed', { seed: '7' }, /`seed`: expected number, received string, got "7"/],
    ['an unknown likelihood', { likelihood: 'poisson' }, /`likelihood`: Invalid option/],
    [
      'a model too large to build',
      { hidden: [16384, 16384, 16384] },
      /the model would have [\d,]+ parameters; the most vae trains is 67,108,864/,
    ],
  ])(
    'a config.json with %s is a named one-line rejection, before anything runs',
    async (_, patch, message) => {
      const copy = join(root, `config-${Math.random().toString(36).slice(2)}`);
      cpSync(run, copy, { recursive: true });
      const config = JSON.parse(readFileSync(join(copy, 'config.json'), 'utf8'));
      writeFileSync(
        join(copy, 'config.json'),
        JSON.stringify(patch === null ? null : { ...config, ...patch }),
      );
      const before = snapshot(copy);
      for (const argv of [
        ['eval', copy, '--k', '2'],
        ['train', '--out', copy, '--resume', '--epochs', '9'],
      ]) {
        const result = await vae(...argv, '--backend', 'wasm', '--quiet');
        expect(result.code).toBe(1);
        expect(lines(result.stderr)).toHaveLength(1);
        expect(result.stderr).toMatch(/^vae: /);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toMatch(/RangeError|TypeError/);
      }
      expect(snapshot(copy)).toEqual(before);
    },
  );

  it('vae sample --out never overwrites files it did not write', async () => {
    const out = join(root, 'mine');
    const first = await vae('sample', run, '--out', out, '--backend', 'wasm', '--quiet');
    expect(first.code, first.stderr).toBe(0);
    // Its own files: a second run may replace them.
    const second = await vae('sample', run, '--out', out, '--backend', 'wasm', '--quiet');
    expect(second.code, second.stderr).toBe(0);
    // A user's file in the folder: refused, untouched.
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const samples = readFileSync(join(out, 'samples.png'));
    const refused = await vae(
      'sample',
      run,
      '--out',
      out,
      '--seed',
      '5',
      '--backend',
      'wasm',
      '--quiet',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^vae: sample: .*mine holds files vae did not write \(notes\.txt\); choose another --out/,
    );
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(readFileSync(join(out, 'samples.png'))).toEqual(samples);
    // A folder of the user's own samples.png.
    const theirs = join(root, 'theirs');
    cpSync(join(out, 'samples.png'), join(theirs, 'samples.png'));
    const own = await vae('sample', run, '--out', theirs, '--backend', 'wasm', '--quiet');
    expect(own.code).toBe(1);
    expect(own.stderr).toContain('holds files vae did not write (samples.png)');
  });

  it('samples an exported model (model.json) and rejects a hostile one in one line', async () => {
    const exported = join(root, 'exported');
    cpSync(join(run, 'model'), exported, { recursive: true });
    const ok = await vae('sample', exported, '--n', '4', '--backend', 'wasm', '--quiet');
    expect(ok.code, ok.stderr).toBe(0);
    expect(lines(ok.stdout).map((line) => line.split('/').at(-1))).toEqual([
      'samples.png',
      'traversal.png',
    ]);
    // A weight spec asking for a [1e9, 1e9] tensor.
    const hostile = join(root, 'hostile-model');
    cpSync(join(run, 'model'), hostile, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(hostile, 'model.json'), 'utf8'));
    manifest.weightsManifest[0].weights[0].shape = [1e9, 1e9];
    writeFileSync(join(hostile, 'model.json'), JSON.stringify(manifest));
    const started = Date.now();
    const bad = await vae('sample', hostile, '--backend', 'wasm', '--quiet');
    expect(bad.code).toBe(1);
    expect(lines(bad.stderr)).toHaveLength(1);
    expect(bad.stderr).toMatch(
      /^vae: .*hostile-model\/model\.json: declares more than 268435456 parameters/,
    );
    expect(Date.now() - started).toBeLessThan(60_000); // a bound on a hang, not a timing claim
  });
});

describe('the run lock', () => {
  it('a second vae train --resume on the same run refuses at once while the first trains', async () => {
    const out = join(root, 'locked');
    cpSync(run, out, { recursive: true });
    const first = spawnVae([
      'train',
      '--backend',
      'wasm',
      '--out',
      out,
      '--resume',
      '--epochs',
      '400',
    ]);
    await waitFor(first, (output) => /^epoch 3\/400: /m.test(output));
    const before = readFileSync(join(out, 'config.json'), 'utf8');
    const second = await vae(
      'train',
      '--out',
      out,
      '--resume',
      '--epochs',
      '50',
      '--backend',
      'wasm',
      '--quiet',
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `^vae: train: .*locked is in use by \`vae train\` \\(process ${first.child.pid}, since .*\\); wait for it to finish or stop it\\n$`,
      ),
    );
    const evaluation = await vae('eval', out, '--k', '2', '--backend', 'wasm', '--quiet');
    expect(evaluation.stderr).toContain('is in use by `vae train`');
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toBe(before);
    first.child.kill('SIGINT');
    expect((await first.exit).code).toBe(130);
    // The first run's lines, each epoch once.
    const epochs = lines(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).map(
      (l) => JSON.parse(l).epoch,
    );
    expect(new Set(epochs).size).toBe(epochs.length);
  }, 300_000);

  it('takes over the stale lock of a dead process', async () => {
    const out = join(root, 'stale');
    cpSync(run, out, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(
      join(out, '.lock'),
      JSON.stringify({ pid: dead, host: hostname(), token: 'x', command: 'train', since: 'then' }),
    );
    const result = await vae(
      'train',
      '--out',
      out,
      '--resume',
      '--epochs',
      '3',
      '--backend',
      'wasm',
      '--quiet',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(out, '.lock'))).toBe(false);
  }, 120_000);

  it('a kill before the first checkpoint leaves a folder both train --out and --resume accept', async () => {
    const out = join(root, 'early');
    const args = ['--limit', '64', '--test-limit', '10', '--hidden', '8', '--latent', '2'];
    const early = spawnVae(['train', '--backend', 'cpu', ...args, '--out', out]);
    await waitFor(early, (output) => /^run folder: /m.test(output));
    early.child.kill('SIGKILL');
    await early.exit;
    expect(existsSync(join(out, 'checkpoint.ckpt'))).toBe(false);
    expect(existsSync(join(out, '.lock'))).toBe(true); // the dead process's
    const again = join(root, 'early-again');
    cpSync(out, again, { recursive: true });
    const resumed = await vae('train', '--backend', 'wasm', '--out', out, '--resume', '--quiet');
    expect(resumed.code, resumed.stderr).toBe(0);
    const fresh = await vae('train', '--backend', 'wasm', ...args, '--out', again);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).toContain('holds a run that never saved a checkpoint: starting it over');
  }, 300_000);
});
