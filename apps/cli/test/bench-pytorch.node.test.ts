// The optional PyTorch column of `vae bench`: argument parsing, the table, and the
// Python side driven over its JSON-lines channel (or the sentence saying why not).
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseBenchArguments } from '../src/bench/options.js';
import { DEFAULT_PYTHON, startPytorch } from '../src/bench/pytorch-model.js';
import { type BenchReport, formatTable } from '../src/bench/report.js';

function hasTorch(python: string): boolean {
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const report = (pytorch: BenchReport['pytorch']): BenchReport => ({
  date: '2026-11-27T00:00:00.000Z',
  node: 'v20',
  cpu: 'test',
  steps: 10,
  batchSize: 128,
  backends: [],
  ...(pytorch === undefined ? {} : { pytorch }),
  rows: [
    {
      backend: 'wasm',
      measurement: 'train',
      vae: 8000,
      layers: 1000,
      ratio: 8,
      pytorch: pytorch === undefined ? null : 16000,
      vsPytorch: pytorch === undefined ? null : 0.5,
      detail: 'batch 128',
    },
  ],
});

describe('vae bench --pytorch', () => {
  it('parses --pytorch and --python (which implies it)', () => {
    expect(parseBenchArguments({ argv: ['--pytorch'] }).pytorch).toBe(true);
    const parsed = parseBenchArguments({ argv: ['--python', '/opt/py'] });
    expect(parsed).toMatchObject({ pytorch: true, python: '/opt/py' });
    expect(() => parseBenchArguments({ argv: ['--python'] })).toThrow(
      'vae bench: --python takes the path of a Python with torch',
    );
    expect(parseBenchArguments({ argv: [] }).pytorch).toBeUndefined();
  });

  it('adds the PyTorch columns and a line on torch only when it ran', () => {
    const plain = formatTable(report(undefined));
    expect(plain).not.toContain('PyTorch');
    const withTorch = formatTable(report({ torch: '1.13', threads: 2, blas: 'libopenblas' }));
    expect(withTorch).toContain('PyTorch 1.13: 2 threads, BLAS libopenblas');
    const trainLine = withTorch.split('\n').find((line) => line.startsWith('wasm'))!;
    expect(trainLine).toMatch(/8000\s+1000\s+8\.00x\s+16000\s+0\.50x\s+batch 128/);
    const skipped = formatTable(report({ skipped: 'no Python at /x' }));
    expect(skipped).toContain('skipped PyTorch: no Python at /x');
    expect(skipped).not.toContain('PyTorch samples/s');
  });

  it('says why when there is no Python at the path', async () => {
    const result = await startPytorch({ threads: 1, batchSize: 8, python: '/nonexistent/python3' });
    expect(result).toBe(
      'no Python at /nonexistent/python3 (on Debian: apt-get install python3-torch; or --python <path>)',
    );
  });

  it('trains and samples through the Python side when torch is installed, or says it is not', async () => {
    const result = await startPytorch({ threads: 1, batchSize: 16 });
    if (!hasTorch(DEFAULT_PYTHON)) {
      expect(result).toMatch(/has no torch|no Python at/);
      return;
    }
    expect(typeof result).not.toBe('string');
    if (typeof result === 'string') return;
    try {
      expect(result.info.threads).toBe(1);
      expect(result.info.torch).toMatch(/^\d+\.\d+/);
      const batch = tf.zeros([16, 784]) as tf.Tensor2D; // the Python side uses its own batch
      await result.model.trainStep(batch);
      batch.dispose();
      await result.model.sample(32);
    } finally {
      result.model.dispose();
    }
  }, 180_000);
});
