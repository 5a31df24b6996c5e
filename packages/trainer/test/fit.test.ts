import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  constantWithWarmup,
  exponentialDecay,
  fit,
  fitEvents,
  type TrainingEvent,
  tensorData,
  VaeError,
} from '../src/index.js';
import {
  type Batch,
  linearModel,
  mseLoss,
  recordingData,
  regressionData,
  TRUE_B,
  TRUE_W,
  values,
} from './helpers.js';

let x: tf.Tensor2D;
let y: tf.Tensor2D;
let data: ReturnType<typeof tensorData<Batch>>;
beforeAll(() => {
  ({ x, y } = regressionData());
  data = tensorData({ x, y });
});
afterAll(() => tf.dispose([x, y]));

describe('fit', () => {
  it('finds the least-squares optimum of a linear regression', async () => {
    const model = linearModel();
    const result = await fit(model, data, {
      loss: mseLoss(model),
      epochs: 60,
      batchSize: 16,
      learningRate: 0.05,
    });
    expectClose(values(model), [...TRUE_W, TRUE_B], { atol: 2e-3, rtol: 0 });
    expect(result.epochs).toBe(60);
    expect(result.steps).toBe(240);
    expect(result.history.at(-1)!.loss).toBeLessThan(1e-5);
    expect(result.stopped).toBeNull();
    model.dispose();
  });

  it('frees every tensor it makes, over a whole epoch', async () => {
    const model = linearModel();
    await expectNoLeaks(() => fit(model, data, { loss: mseLoss(model), batchSize: 16 }));
    // With the caller's optimizer (whose slots persist), the count is flat from one epoch to the next.
    const optimizer = tf.train.adam(0.01);
    const counts: number[] = [];
    await fit(model, data, {
      loss: mseLoss(model),
      batchSize: 10,
      epochs: 3,
      optimizer,
      onEvent: (event) => {
        if (event.type === 'epoch') counts.push(tf.memory().numTensors);
      },
    });
    expect(counts[1]).toBe(counts[0]);
    expect(counts[2]).toBe(counts[0]);
    optimizer.dispose();
    model.dispose();
  });

  it('shuffles deterministically: same seed same order, each epoch a permutation', async () => {
    const orders: number[][][] = [[], [], []];
    for (const [run, seed] of [
      [0, 5],
      [1, 5],
      [2, 6],
    ] as const) {
      const model = linearModel();
      await fit(model, recordingData(data, orders[run]!), {
        loss: mseLoss(model),
        batchSize: 10,
        epochs: 2,
        seed,
      });
      model.dispose();
    }
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).not.toEqual(orders[0]);
    const epoch0 = orders[0]!.slice(0, 7).flat();
    const epoch1 = orders[0]!.slice(7).flat();
    expect([...epoch0].sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    expect(epoch1).not.toEqual(epoch0);
    expect(orders[0]!.map((b) => b.length)).toEqual([
      10, 10, 10, 10, 10, 10, 4, 10, 10, 10, 10, 10, 10, 4,
    ]);
  });

  it('keeps the given order with shuffle: false and drops the remainder when asked', async () => {
    const log: number[][] = [];
    const model = linearModel();
    await fit(model, recordingData(data, log), {
      loss: mseLoss(model),
      batchSize: 10,
      shuffle: false,
      dropRemainder: true,
    });
    expect(log.flat()).toEqual(Array.from({ length: 60 }, (_, i) => i));
    model.dispose();
  });

  it('stops after the current batch when the signal aborts', async () => {
    const controller = new AbortController();
    let requested = 0;
    const model = linearModel();
    const events: TrainingEvent[] = [];
    const result = await fit(
      model,
      {
        size: data.size,
        getBatch: (indices) => {
          if (++requested === 3) controller.abort();
          return data.getBatch(indices);
        },
      },
      {
        loss: mseLoss(model),
        batchSize: 8,
        epochs: 5,
        signal: controller.signal,
        onEvent: (e) => void events.push(e),
      },
    );
    expect(requested).toBe(3);
    expect(result.steps).toBe(3);
    expect(result.stopped?.reason).toBe('aborted');
    expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'aborted', step: 3 });
    model.dispose();
  });

  it('never applies a NaN step: throws TRAINING_DIVERGED with the last good weights kept', async () => {
    const poisoned = tf.tidy(() =>
      tf.where(tf.equal(tf.reshape(tf.range(0, 64), [64, 1]), 40), NaN, x),
    );
    const bad = tensorData({ x: poisoned, y });
    const reference = linearModel(0.1);
    await fit(reference, tensorData({ x: tf.slice(x, 0, 32), y: tf.slice(y, 0, 32) }), {
      loss: mseLoss(reference),
      batchSize: 16,
      shuffle: false,
    });
    const model = linearModel(0.1);
    const error = await fit(model, bad, {
      loss: mseLoss(model),
      batchSize: 16,
      shuffle: false,
    }).catch((e: unknown) => e);
    expect(VaeError.isInstance(error) && error.code).toBe('TRAINING_DIVERGED');
    expect((error as Error).message).toContain('step 2');
    expectClose(values(model), values(reference), { rtol: 0, atol: 0 });

    const stopping = linearModel(0.1);
    const result = await fit(stopping, bad, {
      loss: mseLoss(stopping),
      batchSize: 16,
      shuffle: false,
      nanGuard: 'stop',
    });
    expect(result.stopped?.reason).toBe('diverged');
    expect(result.steps).toBe(2);
    expectClose(values(stopping), values(reference), { rtol: 0, atol: 0 });
    tf.dispose(poisoned);
    for (const m of [reference, model, stopping]) m.dispose();
  });

  it('computes a validation loss per epoch and stops early, restoring the best weights', async () => {
    const model = linearModel();
    let best: number[] = [];
    let bestLoss = Number.POSITIVE_INFINITY;
    const result = await fit(model, data, {
      loss: mseLoss(model),
      batchSize: 16,
      epochs: 50,
      learningRate: 0.5, // too large: the loss stops improving
      validationData: data,
      earlyStopping: { patience: 2 },
      onEvent: (event) => {
        if (event.type === 'epoch' && event.validationLoss! < bestLoss) {
          bestLoss = event.validationLoss!;
          best = values(model);
        }
      },
    });
    expect(result.stopped?.reason).toBe('early-stopping');
    expect(result.history.every((h) => h.validationLoss !== undefined)).toBe(true);
    expect(result.epochs).toBeLessThan(50);
    expectClose(values(model), best, { rtol: 0, atol: 0 });
    model.dispose();
  });

  it('applies a learning-rate schedule before each step', async () => {
    const model = linearModel();
    const rates: number[] = [];
    const schedule = exponentialDecay({
      initial: 0.1,
      decayRate: 0.5,
      decaySteps: 4,
      staircase: true,
    });
    await fit(model, data, {
      loss: mseLoss(model),
      batchSize: 16,
      epochs: 2,
      optimizer: tf.train.sgd(1),
      learningRate: schedule,
      onEvent: (e) => void (e.type === 'batch' && rates.push(e.learningRate)),
    });
    expect(rates).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]);
    model.dispose();
  });

  it('warms the rate up linearly from 0, so the first step leaves the weights alone', async () => {
    const model = linearModel(0.5);
    const rates: number[] = [];
    const after: number[][] = [];
    await fit(model, data, {
      loss: mseLoss(model),
      batchSize: 16,
      epochs: 2,
      shuffle: false,
      learningRate: constantWithWarmup({ initial: 0.02, warmupSteps: 4 }),
      onEvent: (e) => {
        if (e.type !== 'batch') return;
        rates.push(e.learningRate);
        after.push(values(model));
      },
    });
    expectClose(rates, [0, 0.005, 0.01, 0.015, 0.02, 0.02, 0.02, 0.02], { rtol: 1e-12 });
    // Adam at rate 0 does not move: the weights after step 1 are the initial ones.
    expectClose(after[0]!, [0.5, 0.5, 0.5, 0.5], { rtol: 0, atol: 0 });
    expect(after[1]).not.toEqual(after[0]);
    model.dispose();
  });

  it('rejects a warm-up that is not a whole number of steps, naming it', () => {
    expect(() => constantWithWarmup({ initial: 1e-3, warmupSteps: 2.5 })).toThrow(
      'constantWithWarmup: `warmupSteps` must be a whole number >= 0, got 2.5',
    );
    expect(() => constantWithWarmup({ initial: 0, warmupSteps: 10 })).toThrow(
      'constantWithWarmup: `initial` must be positive, got 0',
    );
    expect(constantWithWarmup({ initial: 1e-3, warmupSteps: 0 })(0, 0)).toBe(1e-3);
  });

  it('streams events through an async iterator, in order', async () => {
    const model = linearModel();
    const run = fitEvents<Batch>(model, data, { loss: mseLoss(model), batchSize: 32, epochs: 2 });
    const types: string[] = [];
    for await (const event of run) types.push(`${event.type}${'step' in event ? event.step : ''}`);
    expect(types).toEqual(['batch1', 'batch2', 'epoch2', 'batch3', 'batch4', 'epoch4']);
    expect((await run.result).steps).toBe(4);
    model.dispose();
  });

  it('trains on a plain tensor with a tensor loss', async () => {
    const w = tf.variable(tf.zeros([3]));
    const target = tf.tensor1d([1, 2, 3]);
    const rows = tf.zeros([8, 1]);
    await fit({ trainableVariables: [w] }, rows, {
      loss: () => tf.sum(tf.square(tf.sub(w, target))),
      epochs: 200,
      batchSize: 8,
      learningRate: 0.1,
    });
    expectClose(w, [1, 2, 3], { atol: 1e-3 });
    tf.dispose([w, target, rows]);
  });

  it('rejects bad arguments naming the option and the value', async () => {
    const model = linearModel();
    const bad = (options: object) =>
      fit(model, data, { loss: mseLoss(model), ...options }).catch((e: VaeError) => e.message);
    expect(await bad({ batchSize: 0 })).toContain('`batchSize` must be a positive integer, got 0');
    expect(await bad({ clipNorm: -1 })).toContain('`clipNorm` must be positive, got -1');
    expect(await bad({ earlyStopping: { patience: 1, monitor: 'validationLoss' } })).toContain(
      'no `validationData`',
    );
    const empty = await fit({ trainableVariables: [] }, data, { loss: mseLoss(model) }).catch(
      (e: VaeError) => e.code,
    );
    expect(empty).toBe('INVALID_ARGUMENT');
    model.dispose();
  });
});
