// The optional PyTorch column of `vae bench`: argument parsing, the table, and the
// Python side driven over its JSON-lines channel (or the sentence saying why not).
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { interleavedThroughput, type TimedBlock } from '../src/bench/measure.js';
import { parseBenchArguments } from '../src/bench/options.js';
import { DEFAULT_PYTHON, startPytorch } from '../src/bench/pytorch-model.js';
import { type BenchReport, formatTable } from '../src/bench/report.js';

/** 784*400+400 + 2*(400*20+20) + 20*400+400 + 400*784+784. */
const MLP_PARAMETERS = 652_824;

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
    const withTorch = formatTable(
      report({ torch: '1.13', threads: 2, blas: 'libopenblas', parameters: 652_824 }),
    );
    expect(withTorch).toContain('PyTorch 1.13: 2 threads, BLAS libopenblas');
    const trainLine = withTorch.split('\n').find((line) => line.startsWith('wasm'))!;
    expect(trainLine).toMatch(/8000\s+1000\s+8\.00x\s+16000\s+0\.50x\s+batch 128/);
    const skipped = formatTable(report({ skipped: 'no Python at /x' }));
    expect(skipped).toContain('skipped PyTorch: no Python at /x');
    expect(skipped).not.toContain('PyTorch samples/s');
  });

  it('rates each contender by the seconds its own blocks report, alternating rounds', async () => {
    // Self-timed blocks (as the Python side's): the rate is calls x samples / reported seconds.
    const calls: string[] = [];
    const block = (name: string, secondsPerCall: number[]): TimedBlock => {
      let block = 0;
      return async (count) => {
        calls.push(`${name}${count}`);
        return count * secondsPerCall[block++]!;
      };
    };
    const rates = await interleavedThroughput(
      [block('a', [1, 0.01, 0.01, 0.01]), block('b', [1, 0.04, 0.02, 0.04])],
      { warmup: 5, rounds: 3, repeatsPerRound: 4, samplesPerCall: 128 },
    );
    // Warm-up, then rounds that start with a, b, a: no contender always follows the other.
    expect(calls).toEqual(['a5', 'b5', 'a4', 'b4', 'b4', 'a4', 'a4', 'b4']);
    // The warm-up blocks (1 s a call) do not count; b's rounds took 0.04, 0.02 and
    // 0.04 s a call: the median round is 0.04.
    expect(rates[0]).toBeCloseTo(128 / 0.01, 6);
    expect(rates[1]).toBeCloseTo(128 / 0.04, 6);
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
      // The same 784-400-20 MLP as @vae's and tfjs-layers' (bench-models.node.test.ts).
      expect(result.info.parameters).toBe(MLP_PARAMETERS);
      const batch = tf.zeros([16, 784]) as tf.Tensor2D; // the Python side uses its own batch
      await result.model.trainStep(batch);
      batch.dispose();
      await result.model.sample(32);
      // A block of steps per line, timed by Python: what the benchmark's rounds use.
      const trainSeconds = await result.model.timedTrainSteps!(3);
      const sampleSeconds = await result.model.timedSamples!(32, 2);
      for (const seconds of [trainSeconds, sampleSeconds]) {
        expect(seconds).toBeGreaterThan(0);
        expect(Number.isFinite(seconds)).toBe(true);
      }
    } finally {
      result.model.dispose();
    }
  }, 180_000);
});
