import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  fitWithinBudget,
  memoryCheckpointStore,
  type TrainingEvent,
  tensorData,
} from '../src/index.js';
import { type Batch, linearModel, mseLoss, regressionData } from './helpers.js';

describe('fitWithinBudget', () => {
  it('stops at the budget with reason "budget", writes a checkpoint and resumes from it', async () => {
    const { x, y } = regressionData();
    const data = tensorData({ x, y });
    const model = linearModel();
    const store = memoryCheckpointStore();
    const stops: TrainingEvent[] = [];
    const result = await expectNoLeaks(() =>
      fitWithinBudget<Batch>(model, data, {
        loss: mseLoss(model),
        epochs: 1_000_000,
        batchSize: 16,
        learningRate: 0.01,
        budgetSeconds: 0.3,
        checkpoint: { store },
        onEvent: (event) => {
          if (event.type === 'stop') stops.push(event);
        },
      }),
    );
    expect(result.stopped?.reason).toBe('budget');
    expect(result.stopped?.message).toMatch(
      /^fitWithinBudget: stopped at the time budget of 0\.3 s after .*; a checkpoint was written$/,
    );
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({ type: 'stop', reason: 'budget' });
    expect(result.epochs).toBeLessThan(1_000_000);
    const saved = (await store.load()) as Checkpoint;
    expect(saved.state.step).toBe(result.steps);

    // Running the same call again resumes from the checkpoint's step.
    const again = linearModel();
    const resumed = await fitWithinBudget<Batch>(again, data, {
      loss: mseLoss(again),
      epochs: 1_000_000,
      batchSize: 16,
      learningRate: 0.01,
      budgetSeconds: 0.3,
      checkpoint: { store },
    });
    expect(resumed.stopped?.reason).toBe('budget');
    expect(resumed.resumedFrom?.step).toBe(result.steps);
    expect(resumed.steps).toBeGreaterThan(result.steps);
    model.dispose();
    again.dispose();
    tf.dispose([x, y]);
  });

  it("finishes normally within the budget, and the caller's signal still aborts", async () => {
    const { x, y } = regressionData();
    const data = tensorData({ x, y });
    const model = linearModel();
    const done = await fitWithinBudget<Batch>(model, data, {
      loss: mseLoss(model),
      epochs: 2,
      batchSize: 16,
      budgetSeconds: 3600,
    });
    expect(done.stopped).toBeNull();
    expect(done.steps).toBe(8);
    const controller = new AbortController();
    controller.abort();
    const aborted = await fitWithinBudget<Batch>(model, data, {
      loss: mseLoss(model),
      epochs: 2,
      batchSize: 16,
      budgetSeconds: 3600,
      signal: controller.signal,
    });
    expect(aborted.stopped?.reason).toBe('aborted');
    await expect(
      fitWithinBudget<Batch>(model, data, { loss: mseLoss(model), budgetSeconds: 0 }),
    ).rejects.toThrow(/`budgetSeconds` must be a positive number, got 0/);
    model.dispose();
    tf.dispose([x, y]);
  });
});
