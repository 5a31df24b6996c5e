// Paths that cannot be written fail at once with the path and the OS's reason,
// before any data loads; a disk that fills up mid-run leaves a run that can be
// continued; hostile files (a checkpoint header asking for 1e12 strings, a gzip
// bomb named like MNIST) are one-line errors, never a hang.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { mnistFiles } from '@vae/data/node';
import { decodeCheckpoint, encodeCheckpoint } from '@vae/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderState } from '../src/internal/run-folder.js';
import { lines, temporary, vae } from './helpers.js';

const SMALL = [
  '--limit',
  '128',
  '--test-limit',
  '20',
  '--batch-size',
  '64',
  '--hidden',
  '8',
  '--latent',
  '2',
];
const root = temporary('vae-hostile-');
const CLI_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs `vae ...argv` from the sources in a shell first running `setup` (a ulimit),
 * as an unprivileged user when we are root (root ignores permission bits).
 */
function runLimited(
  argv: readonly string[],
  options: { setup?: string; unprivileged?: boolean } = {},
): Promise<{ code: number | null; output: string }> {
  const command = `${options.setup ?? ''}\nexec "${process.execPath}" --import tsx --conditions=@vae/source src/main.ts "$@"`;
  const asNobody = options.unprivileged === true && process.getuid?.() === 0;
  const child = spawn('bash', ['-c', command, 'vae', ...argv], {
    cwd: CLI_ROOT,
    env: { PATH: process.env.PATH, HOME: root, TMPDIR: '/tmp' },
    ...(asNobody ? { uid: 65_534, gid: 65_534 } : {}),
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('paths that cannot be written fail fast, before loading data', () => {
  it('--out /proc/vaetest', async () => {
    const result = await vae('train', '--out', '/proc/vaetest', ...SMALL, '--backend', 'wasm');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'vae: train: cannot write to /proc/vaetest: no such file or directory (ENOENT)\n',
    );
  });

  it('a read-only folder (permission denied, with the path)', async () => {
    const readOnly = join(root, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    chmodSync(root, 0o755);
    const { code, output } = await runLimited(['train', '--out', join(readOnly, 'run'), ...SMALL], {
      unprivileged: true,
    });
    expect(code).toBe(1);
    expect(output).toContain(
      `vae: train: cannot write to ${join(readOnly, 'run')}: permission denied (EACCES)`,
    );
    expect(output).not.toMatch(/loading/);
  }, 120_000);

  it('a disk too full for the probe write (simulated with a file size limit: EFBIG)', async () => {
    const out = join(root, 'tiny-disk');
    const { code, output } = await runLimited(['train', '--out', out, ...SMALL], {
      setup: 'ulimit -f 32',
    });
    expect(code).toBe(1);
    expect(output).toContain(`vae: train: cannot write to ${out}: file too large (EFBIG)`);
    expect(output).not.toMatch(/loading/);
    expect(existsSync(out)).toBe(false); // the folder it created for nothing is gone
  }, 120_000);

  it('a disk that fills up at the first checkpoint leaves a run that --resume and train --out accept', async () => {
    const out = join(root, 'fills-up');
    // 100 KiB: the probe (64 KiB), config.json and metrics fit; the ~160 KB checkpoint does not.
    const { code, output } = await runLimited(
      ['train', '--backend', 'cpu', '--out', out, ...SMALL, '--epochs', '1'],
      {
        setup: 'ulimit -f 100',
      },
    );
    expect(code).toBe(1);
    expect(output).toMatch(
      /vae: train: writing to .*fills-up failed: file too large \(EFBIG\); the last complete checkpoint is kept: make room, then continue with: vae train --out .*fills-up --resume/,
    );
    expect(await folderState(out)).toBe('unstarted');
    const copy = join(root, 'fills-up-again');
    cpSync(out, copy, { recursive: true });
    const resumed = await vae('train', '--out', out, '--resume', '--backend', 'wasm', '--quiet');
    expect(resumed.code, resumed.stderr).toBe(0);
    const fresh = await vae(
      'train',
      '--out',
      copy,
      ...SMALL,
      '--epochs',
      '1',
      '--backend',
      'wasm',
      '--quiet',
    );
    expect(fresh.code, fresh.stderr).toBe(0);
  }, 180_000);
});

describe('hostile files are one-line errors, never a hang', () => {
  const run = join(root, 'run');

  beforeAll(async () => {
    const result = await vae(
      'train',
      '--out',
      run,
      ...SMALL,
      '--epochs',
      '1',
      '--backend',
      'wasm',
      '--quiet',
    );
    expect(result.code, result.stderr).toBe(0);
  }, 120_000);

  it('a checkpoint header declaring one more weight, a [1e12] string tensor (CRC recomputed)', async () => {
    const path = join(run, 'checkpoint.ckpt');
    const checkpoint = decodeCheckpoint(readFileSync(path), path);
    const hostile = encodeCheckpoint({
      ...checkpoint,
      weightSpecs: [
        ...checkpoint.weightSpecs,
        { name: 'model/extra', shape: [1e12], dtype: 'string' },
      ],
    });
    const copy = join(root, 'hostile-checkpoint');
    cpSync(run, copy, { recursive: true });
    writeFileSync(join(copy, 'checkpoint.ckpt'), hostile);
    const config = readFileSync(join(copy, 'config.json'));
    for (const argv of [
      ['eval', copy, '--k', '2'],
      ['train', '--out', copy, '--resume', '--epochs', '3'],
    ]) {
      const result = await vae(...argv, '--backend', 'wasm', '--quiet');
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^vae: (eval|train): .*checkpoint\.ckpt is not a valid checkpoint: weight spec .*\[1000000000000\].* is not a float32 or int32 tensor spec/,
      );
    }
    expect(readFileSync(join(copy, 'config.json'))).toEqual(config);
  });

  it('a FIFO or /dev/zero in place of a run file is refused or set aside at once, never waited on', async () => {
    const copy = join(root, 'special-files');
    const replace = (name: string, kind: 'fifo' | 'zeros') => {
      const path = join(copy, name);
      rmSync(path, { force: true });
      if (kind === 'fifo') execFileSync('mkfifo', [path]);
      else symlinkSync('/dev/zero', path);
    };
    for (const kind of ['fifo', 'zeros'] as const) {
      rmSync(copy, { recursive: true, force: true });
      cpSync(run, copy, { recursive: true });
      // Progress of an evaluation is a cache: set aside, and the evaluation runs.
      replace('eval.progress.json', kind);
      const evaluated = await vae('eval', copy, '--k', '2', '--backend', 'wasm', '--quiet');
      expect(evaluated.code, evaluated.stderr).toBe(0);
      expect(evaluated.stderr).toContain('(it is not a regular file)');
      // metrics.jsonl and config.json are the run's own: a one-line error naming the file.
      replace('metrics.jsonl', kind);
      const resumed = await vae('train', '--out', copy, '--resume', '--epochs', '2', '--quiet');
      expect(resumed.code).toBe(1);
      expect(lines(resumed.stderr)).toEqual([
        `vae: train: ${join(copy, 'metrics.jsonl')} is not a regular file`,
      ]);
      replace('config.json', kind);
      const refused = await vae('eval', copy, '--k', '2', '--backend', 'wasm', '--quiet');
      expect(refused.code).toBe(1);
      expect(lines(refused.stderr)).toEqual([
        `vae: eval: ${join(copy, 'config.json')} is not a regular file`,
      ]);
    }
  });

  it.each([
    ['zeros', Buffer.alloc(0)],
    // A valid header announcing [60000, 28, 28] bytes, then far more.
    ['a valid header', Buffer.from([0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28])],
  ])(
    'a gzip bomb (%s, then 300 MB of zeros) named like an MNIST file',
    async (name, header) => {
      const mnist = join(root, `bomb-${name.replace(/ /g, '-')}`);
      mkdirSync(mnist);
      for (const split of ['train', 'test'] as const) {
        const files = mnistFiles(split);
        for (const path of [files.images, files.labels]) {
          cpSync(path, join(mnist, path.split(/[/\\]/).at(-1)!));
        }
      }
      const images = join(mnist, 'train-images-idx3-ubyte');
      const zeros = Buffer.alloc(1 << 20);
      async function* bomb() {
        yield header;
        for (let i = 0; i < 300; i++) yield zeros;
      }
      await pipeline(bomb(), createGzip({ level: 1 }), createWriteStream(`${images}.gz`));
      const { rmSync } = await import('node:fs');
      rmSync(images);
      const result = await vae(
        'train',
        '--mnist-dir',
        mnist,
        '--out',
        join(mnist, 'run'),
        ...SMALL,
        '--quiet',
      );
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/^vae: loadMnist \(.*train-images-idx3-ubyte\.gz\): /);
      expect(existsSync(join(mnist, 'run'))).toBe(false);
    },
    120_000,
  );
});
