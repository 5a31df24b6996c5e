// `vae bench --memory` (issue 17): the peak resident memory of `vae train` and
// `vae eval` in child processes, and the resident memory after each epoch.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { epochGrowth, type MemoryReport, measureMemory } from '../src/bench/memory.js';
import { parseBenchArguments } from '../src/bench/options.js';
import { type BenchReport, formatTable } from '../src/bench/report.js';

const MB = 2 ** 20;
// The sources, as the other tests run the CLI.
const SOURCES = {
  args: ['--import', 'tsx', '--conditions=@vae/source', 'src/main.ts'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
};

describe('vae bench --memory', () => {
  it('parses --memory (off unless given)', () => {
    expect(parseBenchArguments({ argv: ['--memory'] }).memory).toBe(true);
    expect(parseBenchArguments({ argv: [] }).memory).toBeUndefined();
  });

  it('measures a real train and eval: peaks above the epochs, one figure per epoch', async () => {
    const memory = await measureMemory({
      backend: 'wasm',
      threads: 1,
      seed: 3,
      cli: SOURCES,
      sizes: {
        train: ['--limit', '640', '--epochs', '3', '--test-limit', '64', '--hidden', '32'],
        eval: ['--limit', '4', '--k', '20'],
      },
    });
    expect(memory.train.epochBytes).toHaveLength(3);
    for (const bytes of memory.train.epochBytes) {
      expect(bytes).toBeGreaterThan(16 * MB);
      // The peak is the most the process ever held, so at least what any epoch saw.
      expect(memory.train.peakBytes).toBeGreaterThanOrEqual(bytes);
    }
    expect(memory.eval.peakBytes).toBeGreaterThan(16 * MB);
    expect(memory.train.command).toMatch(/^vae train --limit 640 .*--seed 3 --backend wasm/);
    expect(memory.eval.command).toMatch(/^vae eval --limit 4 --k 20/);
  });

  it('prints two lines per backend, with the growth from the second epoch to the last', () => {
    const memory: MemoryReport = {
      backend: 'wasm',
      train: {
        command: 'vae train --epochs 4',
        peakBytes: 320 * MB,
        epochBytes: [290, 300, 296, 303].map((m) => m * MB),
      },
      eval: { command: 'vae eval --k 5000', peakBytes: 250 * MB },
    };
    const report: BenchReport = {
      date: '2026-11-28T00:00:00.000Z',
      node: 'v20',
      cpu: 'test',
      steps: 10,
      batchSize: 128,
      backends: [],
      rows: [],
      memory: [memory],
    };
    const text = formatTable(report);
    expect(text).toContain(
      'memory, wasm: vae train --epochs 4: peak 320 MB; after each epoch 290, 300, 296, 303 MB; +3 MB from epoch 2 to the last',
    );
    expect(text).toContain('memory, wasm: vae eval --k 5000: peak 250 MB');
    expect(epochGrowth([MB, 2 * MB])).toBeUndefined();
    expect(epochGrowth([5 * MB, 9 * MB, 7 * MB])).toBe(-2 * MB);
  });
});
