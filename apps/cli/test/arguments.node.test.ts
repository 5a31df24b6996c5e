import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines, vae } from './helpers.js';

describe('vae arguments', () => {
  it.each([
    [
      ['train', '--epochs', '-1'],
      /option '--epochs <n>' argument '-1' is invalid\. expected a positive integer/,
    ],
    [['train', '--epochs', '0'], /expected a positive integer, got '0'/],
    [
      ['train', '--preset', 'transformer'],
      /argument 'transformer' is invalid\. Allowed choices are mlp, conv, hierarchical, resnet, autoregressive\./,
    ],
    [
      ['train', '--backend', 'webgpu2'],
      /argument 'webgpu2' is invalid\. Allowed choices are auto, wasm, cpu, tensorflow/,
    ],
    [['train', '--lr', 'fast'], /expected a positive number, got 'fast'/],
    [['train', '--beta', '-0.5'], /expected a non-negative number, got '-0.5'/],
    [['eval'], /missing required argument 'run'/],
    [['eval', 'run', '--k', '0'], /expected a positive integer, got '0'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [
      ['sample', 'run', '--n', '10000000'],
      /option '--n <n>' argument '10000000' is invalid\. expected at most 1,024/,
    ],
    [['train', '--latent', '1000000000000'], /expected at most 4,096, got '1000000000000'/],
    [['train', '--seed', '-1'], /expected a non-negative integer, got '-1'/],
    [['train', '--seed', '4294967296'], /expected an integer from 0 to 4294967295/],
    [['train', '--test-fraction', '1'], /expected a number between 0 and 1, got '1'/],
    [['eval', 'run', '--k', '100000000'], /expected at most 1,000,000/],
  ])('%j fails with one line and exit code 1', async (argv, message) => {
    const { code, stderr, stdout } = await vae(...argv);
    expect(code).toBe(1);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  it.each([['train'], ['eval'], ['sample']])('%s --help lists its options', async (command) => {
    const { code, stdout } = await vae(command, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: vae ${command}`);
    expect(stdout).toContain('--backend <name>');
  });

  it('lists every command in the top-level help', async () => {
    const { stdout } = await vae('--help');
    for (const command of ['train', 'eval', 'sample', 'gaussian', 'bench']) {
      expect(stdout).toContain(command);
    }
  });

  it('says when a folder is not a run', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vae-cli-'));
    const { code, stderr } = await vae('eval', empty);
    expect(code).toBe(1);
    expect(stderr).toBe(`vae: eval: ${empty} is not a run folder (no config.json)\n`);
    const sample = await vae('sample', join(empty, 'missing'));
    expect(sample.stderr).toMatch(/^vae: sample: .* is not a run folder \(no config.json\)\n$/);
  });

  it('refuses to train into a folder that holds files, and leaves them alone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'vae-cli-'));
    writeFileSync(join(folder, 'notes.txt'), 'keep me');
    const { code, stderr } = await vae(
      'train',
      '--out',
      folder,
      '--backend',
      'wasm',
      '--limit',
      '10',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^vae: train: .* holds files that are not a vae run; choose another --out/,
    );
    expect(readFileSync(join(folder, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('rejects --resume without --out', async () => {
    const { code, stderr } = await vae('train', '--resume');
    expect(code).toBe(1);
    expect(stderr).toBe('vae: train: --resume needs --out <run folder>\n');
  });
});
