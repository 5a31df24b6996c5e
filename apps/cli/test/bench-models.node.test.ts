// `vae bench --model` (issue 17's conv rows): each benchmarked model built three ways
// (@vae, tfjs-layers, PyTorch) with the same layers, and a contender that cannot run a
// measurement on a backend reported with the reason instead of ending the benchmark.
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BENCH_ARCHITECTURES, BENCH_MODEL_NAMES } from '../src/bench/architectures.js';
import { runBench } from '../src/bench/index.js';
import { layersVae, loadLayers } from '../src/bench/layers-model.js';
import { parseBenchArguments } from '../src/bench/options.js';
import { DEFAULT_PYTHON, startPytorch } from '../src/bench/pytorch-model.js';
import { formatTable } from '../src/bench/report.js';
import { vaeStack } from '../src/bench/vae-stack.js';

function hasTorch(): boolean {
  try {
    execFileSync(DEFAULT_PYTHON, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` without tfjs's test-mode kernel leak check (IS_TEST, which the test setup
 * turns on): tfjs-layers' fused Dense op trips it on wasm (tf.customGrad's saved copies),
 * and the benchmark runs without it. Tensor counts are checked here instead.
 */
async function withoutKernelLeakCheck<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.env().getBool('IS_TEST');
  tf.env().set('IS_TEST', false);
  try {
    return await fn();
  } finally {
    tf.env().set('IS_TEST', before);
  }
}

/** conv 1->32 and 32->64 (4x4), dense flat->256, heads 256->16 x2, the mirror image. */
function convParameters([height, width, channels]: number[]): number {
  const flat = (height! / 4) * (width! / 4) * 64;
  const conv = (inC: number, outC: number, bias: number) => 16 * inC * outC + bias;
  const dense = (inF: number, outF: number) => inF * outF + outF;
  return (
    conv(channels!, 32, 32) +
    conv(32, 64, 64) +
    dense(flat, 256) +
    2 * dense(256, 16) +
    dense(16, 256) +
    dense(256, flat) +
    conv(64, 32, 32) +
    conv(32, channels!, channels!)
  );
}

const EXPECTED_PARAMETERS = {
  mlp: 652_824,
  conv: convParameters([28, 28, 1]),
  'conv-colour': convParameters([32, 32, 3]),
};

describe('vae bench --model', () => {
  it('parses --model and refuses other names', () => {
    expect(parseBenchArguments({ argv: ['--model', 'conv'] }).model).toBe('conv');
    expect(parseBenchArguments({ argv: ['--model=conv-colour'] }).model).toBe('conv-colour');
    expect(parseBenchArguments({ argv: [] }).model).toBeUndefined();
    expect(parseBenchArguments({ argv: ['--seed', '0'] }).seed).toBe(0); // seed 0 is a seed
    expect(() => parseBenchArguments({ argv: ['--seed', '-1'] })).toThrow(
      'vae bench: --seed must be a whole number >= 0, got -1',
    );
    expect(() => parseBenchArguments({ argv: ['--model', 'resnet'] })).toThrow(
      "vae bench: --model takes one of mlp, conv, conv-colour, got 'resnet'",
    );
  });

  it.each(BENCH_MODEL_NAMES)(
    '%s: @vae and tfjs-layers have the same parameters, train and sample without leaks',
    (name) =>
      withoutKernelLeakCheck(async () => {
        const tfl = await loadLayers();
        if (typeof tfl === 'string') throw new Error(tfl);
        const shape = BENCH_ARCHITECTURES[name].imageShape;
        const models = [vaeStack(name, 1), layersVae(tfl, name, 1)];
        const x = tf.tidy(() =>
          tf.cast(tf.less(tf.randomUniform([4, ...shape], 0, 1, 'float32', 2), 0.13), 'float32'),
        );
        try {
          for (const model of models) {
            expect(model.parameters, model.name).toBe(EXPECTED_PARAMETERS[name]);
            await model.sample(3); // once, so the count below starts from built kernels
            const before = tf.memory().numTensors;
            await model.sample(3);
            expect(tf.memory().numTensors, `${model.name} sample`).toBe(before);
          }
          // Training on wasm: @vae's conv layers bring their own filter gradient, and
          // tfjs-layers' conv models need Conv2DBackpropFilter, which tfjs-wasm lacks.
          await models[0]!.trainStep(x);
          const before = tf.memory().numTensors;
          await models[0]!.trainStep(x);
          expect(tf.memory().numTensors, '@vae train').toBe(before);
          const layersStep = models[1]!.trainStep(x);
          if (name === 'mlp') await layersStep;
          else await expect(layersStep).rejects.toThrow(/Conv2DBackpropFilter/);
        } finally {
          x.dispose();
          for (const model of models) model.dispose();
        }
      }),
  );

  it('PyTorch builds the same conv models (when torch is installed)', async () => {
    if (!hasTorch()) return;
    for (const name of ['conv', 'conv-colour'] as const) {
      const result = await startPytorch({ model: name, threads: 1, batchSize: 4 });
      if (typeof result === 'string') throw new Error(result);
      try {
        expect(result.info.parameters, name).toBe(EXPECTED_PARAMETERS[name]);
        expect(await result.model.timedTrainSteps!(1)).toBeGreaterThan(0);
      } finally {
        result.model.dispose();
      }
    }
  }, 180_000);

  it('reports the conv model on wasm, tfjs-layers training left out with the reason', async () => {
    const report = await withoutKernelLeakCheck(() =>
      runBench({
        backends: ['wasm'],
        model: 'conv',
        steps: 2,
        batchSize: 8,
        threads: 1,
        print: false,
      }),
    );
    expect(report.model).toMatchObject({
      name: 'conv',
      parameters: { '@vae': EXPECTED_PARAMETERS.conv, 'tfjs-layers': EXPECTED_PARAMETERS.conv },
    });
    const train = report.rows.find((r) => r.measurement === 'train')!;
    expect(train.vae).toBeGreaterThan(0);
    expect(train.layers).toBeNull();
    expect(train.detail).toMatch(/tfjs-layers cannot train on wasm: .*Conv2DBackpropFilter/);
    const sample = report.rows.find((r) => r.measurement === 'sample')!;
    expect(sample.vae).toBeGreaterThan(0);
    expect(sample.layers).toBeGreaterThan(0);
    const table = formatTable(report);
    expect(table).toContain(`model: conv (convVAE's default at 28x28x1`);
    expect(table).toMatch(/parameters: @vae [\d,]+, tfjs-layers [\d,]+/);
  });
});
