import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  averagedModelArtifacts,
  type Checkpoint,
  fit,
  memoryCheckpointStore,
  tensorData,
  VaeError,
  WeightAverage,
  withWarmup,
} from '../src/index.js';
import { type Batch, linearModel, mseLoss, noisyLoss, regressionData } from './helpers.js';

/** The linear model with names, as a `@vae/nn` module has them. */
function namedModel() {
  const model = linearModel(0.1);
  return {
    ...model,
    namedParameters: (): [string, tf.Variable][] => [
      ['layer.weight', model.w],
      ['layer.bias', model.b],
    ],
  };
}

function values(variable: tf.Tensor): number[] {
  return Array.from(variable.dataSync());
}

describe('WeightAverage', () => {
  it('is the exponential moving average of the weights (float64 reference), with warm-up decays', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const model = { trainableVariables: [w] };
    const plain = new WeightAverage(model, { decay: 0.9, warmup: false });
    const warm = new WeightAverage(model, { decay: 0.9 });
    const sequence = [
      [0.5, 0.3],
      [2, -1],
      [-0.7, 4],
    ];
    let expectedPlain = [1, -2];
    let expectedWarm = [1, -2];
    for (const [n, next] of sequence.entries()) {
      tf.tidy(() => w.assign(tf.tensor1d(next)));
      const d = Math.min(0.9, (1 + n) / (10 + n));
      expect(warm.currentDecay).toBeCloseTo(d, 12);
      plain.update();
      warm.update();
      expectedPlain = expectedPlain.map((a, i) => 0.9 * a + 0.1 * next[i]!);
      expectedWarm = expectedWarm.map((a, i) => d * a + (1 - d) * next[i]!);
    }
    expect(plain.updates).toBe(3);
    expectClose(plain.stateDict().get('0')!, expectedPlain, { rtol: 1e-6, atol: 1e-6 });
    expectClose(warm.stateDict().get('0')!, expectedWarm, { rtol: 1e-6, atol: 1e-6 });
    plain.dispose();
    warm.dispose();
    w.dispose();
  });

  it('follows fit through onEvent; apply/restore and withAveragedWeights swap the weights', async () => {
    const model = namedModel();
    const { x, y } = regressionData();
    const average = new WeightAverage(model, { decay: 0.95 });
    const result = await expectNoLeaks(() =>
      fit<Batch>(model, tensorData({ x, y }), {
        loss: noisyLoss(model),
        epochs: 3,
        batchSize: 16,
        learningRate: 0.05,
        onEvent: average.onEvent,
      }),
    );
    expect(average.updates).toBe(result.steps);
    const trained = values(model.w);
    const averaged = values(average.stateDict().get('layer.weight')!);
    expect(averaged).not.toEqual(trained);
    average.apply();
    expect(values(model.w)).toEqual(averaged);
    expect(() => average.update()).toThrow(/the average is applied/);
    average.restore();
    expect(values(model.w)).toEqual(trained);
    expect(await average.withAveragedWeights(() => values(model.w))).toEqual(averaged);
    const lossOf = average.averaged(() => values(model.b));
    expect(lossOf()).toEqual(values(average.stateDict().get('layer.bias')!));
    expect(values(model.w)).toEqual(trained);
    expect(() => average.restore()).toThrow(VaeError);
    average.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('is saved by name with every checkpoint and resumes to the uninterrupted average', async () => {
    const { x, y } = regressionData();
    const data = tensorData({ x, y });
    const run = async (epochs: number, store?: ReturnType<typeof memoryCheckpointStore>) => {
      const model = namedModel();
      const average = new WeightAverage(model, { decay: 0.9 });
      const optimizer = tf.train.sgd(0.05);
      await fit<Batch>(model, data, {
        loss: mseLoss(model),
        epochs,
        batchSize: 16,
        optimizer,
        onEvent: average.onEvent,
        ...(store === undefined ? {} : { checkpoint: { store: average.checkpointStore(store) } }),
      });
      const out = { w: values(average.stateDict().get('layer.weight')!), updates: average.updates };
      optimizer.dispose();
      average.dispose();
      model.dispose();
      return out;
    };
    const whole = await run(4);
    const store = memoryCheckpointStore();
    await run(2, store);
    const saved = (await store.load()) as Checkpoint;
    const names = saved.weightSpecs.map((spec) => spec.name);
    expect(names).toContain('average/layer.weight');
    expect(names).toContain('average/layer.bias');
    expect(names).toContain('model/layer.weight');
    const resumed = await run(4, store);
    expect(resumed.updates).toBe(whole.updates);
    expectClose(tf.tensor1d(resumed.w), whole.w, { rtol: 1e-6, atol: 1e-7 });

    // The averaged model of the checkpoint: model names, averaged values.
    const final = (await store.load()) as Checkpoint;
    const artifacts = averagedModelArtifacts(final);
    expect(artifacts.weightSpecs?.map((spec) => spec.name)).toEqual(['layer.weight', 'layer.bias']);
    const weights = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    expectClose(weights['layer.weight']!, whole.w, { rtol: 1e-6, atol: 1e-7 });
    tf.dispose([x, y, ...Object.values(weights)]);
  });

  it('restarts from the restored weights when the checkpoint has no average', async () => {
    const { x, y } = regressionData();
    const data = tensorData({ x, y });
    const store = memoryCheckpointStore();
    const first = namedModel();
    await fit<Batch>(first, data, {
      loss: mseLoss(first),
      epochs: 1,
      batchSize: 16,
      checkpoint: { store },
    });
    const plain = (await store.load()) as Checkpoint;
    expect(() => averagedModelArtifacts(plain)).toThrow(/holds no weight average/);
    const model = namedModel();
    const average = new WeightAverage(model, { decay: 0.5, warmup: false });
    let restored: number[] = [];
    await fit<Batch>(model, data, {
      loss: mseLoss(model),
      epochs: 2,
      batchSize: 16,
      learningRate: 1e-9, // the weights barely move: the average must equal them
      checkpoint: { store: average.checkpointStore(store) },
      onEvent: (event) => {
        if (event.type === 'batch') restored = values(model.w);
        average.onEvent(event);
      },
    });
    expect(average.updates).toBe(4); // the resumed epoch's 4 steps, counted from the restart
    expectClose(average.stateDict().get('layer.weight')!, restored, { rtol: 1e-5, atol: 1e-6 });
    average.dispose();
    model.dispose();
    first.dispose();
    tf.dispose([x, y]);
  });

  it('rejects bad options', () => {
    const w = tf.variable(tf.zeros([1]));
    expect(() => new WeightAverage({ trainableVariables: [w] }, { decay: 1 })).toThrow(
      /`decay` must be in \[0, 1\), got 1/,
    );
    expect(() => new WeightAverage({ trainableVariables: [] })).toThrow(VaeError);
    w.dispose();
  });
});

describe('withWarmup', () => {
  it('ramps any schedule linearly over `steps` steps, then leaves it alone', () => {
    const decay = (step: number) => 0.1 * 0.5 ** (step / 100);
    const schedule = withWarmup(decay, { steps: 10 });
    expect(schedule(0, 0)).toBeCloseTo(decay(0) / 10, 12);
    expect(schedule(4, 0)).toBeCloseTo((decay(4) * 5) / 10, 12);
    expect(schedule(9, 0)).toBeCloseTo(decay(9), 12);
    expect(schedule(200, 3)).toBeCloseTo(decay(200), 12);
    expect(withWarmup(0.01, { steps: 4 })(1, 0)).toBeCloseTo(0.005, 12);
    expect(() => withWarmup(0.01, { steps: 0 })).toThrow(/`steps` must be a positive integer/);
  });
});
