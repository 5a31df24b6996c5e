import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  decodeCheckpoint,
  encodeCheckpoint,
  type FitOptions,
  fit,
  ioHandlerCheckpointStore,
  memoryCheckpointStore,
  type TrainingData,
  tensorData,
  VaeError,
} from '../src/index.js';
import {
  type Batch,
  type LinearModel,
  linearModel,
  noisyLoss,
  regressionData,
  values,
} from './helpers.js';

let x: tf.Tensor2D;
let y: tf.Tensor2D;
let data: TrainingData<Batch>;
beforeAll(() => {
  ({ x, y } = regressionData());
  data = tensorData({ x, y });
});
afterAll(() => tf.dispose([x, y]));

type MakeOptimizer = () => tf.Optimizer;

function options(model: LinearModel, optimizer: tf.Optimizer): FitOptions<Batch> {
  return {
    loss: noisyLoss(model),
    epochs: 3,
    batchSize: 16,
    seed: 7,
    optimizer,
    learningRate: 0.05,
  };
}

/** Trains 3 epochs without a break; returns the final weights and history. */
async function uninterrupted(makeOptimizer: MakeOptimizer) {
  const model = linearModel(0.2);
  const optimizer = makeOptimizer();
  const result = await fit(model, data, options(model, optimizer));
  const weights = values(model);
  optimizer.dispose();
  model.dispose();
  return { weights, history: result.history };
}

/** Aborts after `stopAfter` steps, then resumes in a fresh model and optimizer. */
async function interrupted(makeOptimizer: MakeOptimizer, stopAfter: number) {
  const store = memoryCheckpointStore();
  const first = linearModel(0.2);
  const firstOptimizer = makeOptimizer();
  const controller = new AbortController();
  const stopped = await fit(first, data, {
    ...options(first, firstOptimizer),
    signal: controller.signal,
    checkpoint: { store },
    onEvent: (event) => {
      if (event.type === 'batch' && event.step === stopAfter) controller.abort();
    },
  });
  firstOptimizer.dispose();
  first.dispose();
  const second = linearModel(-3); // different starting values: the checkpoint must overwrite them
  const secondOptimizer = makeOptimizer();
  const resumed = await fit(second, data, {
    ...options(second, secondOptimizer),
    checkpoint: { store },
  });
  const weights = values(second);
  secondOptimizer.dispose();
  second.dispose();
  return { stopped, resumed, weights };
}

describe('checkpoints and resume', () => {
  it('resumes mid-epoch and ends with exactly the weights of an uninterrupted run (momentum)', async () => {
    const make = () => tf.train.momentum(0.05, 0.9);
    const reference = await uninterrupted(make);
    const { stopped, resumed, weights } = await interrupted(make, 6);
    expect(stopped.stopped?.reason).toBe('aborted');
    expect(stopped.steps).toBe(6);
    expect(resumed.resumedFrom).toEqual({ epoch: 1, step: 6 });
    expect(resumed.steps).toBe(12);
    expectClose(weights, reference.weights, { rtol: 0, atol: 0 });
    expect(resumed.history).toEqual(reference.history);
  });

  it('resumes Adam to float32 precision (tfjs recomputes beta^t on restore)', async () => {
    const make = () => tf.train.adam(0.05);
    const reference = await uninterrupted(make);
    const { weights } = await interrupted(make, 5);
    expectClose(weights, reference.weights, { rtol: 1e-5, atol: 1e-6 });
  });

  it('refuses a checkpoint of another model with CHECKPOINT_MISMATCH', async () => {
    const store = memoryCheckpointStore();
    const model = linearModel();
    await fit(model, data, { loss: noisyLoss(model), batchSize: 16, checkpoint: { store } });
    const other = {
      trainableVariables: [tf.variable(tf.zeros([4, 1])), tf.variable(tf.zeros([1]))],
    };
    const error = await fit(other, data, {
      loss: () => tf.scalar(0),
      batchSize: 16,
      checkpoint: { store },
    }).catch((e: unknown) => e);
    expect(VaeError.isInstance(error) && error.code).toBe('CHECKPOINT_MISMATCH');
    expect((error as Error).message).toMatch(
      /mis-shaped: 0 \(the checkpoint: float32 \[3, 1\], model: float32 \[4, 1\]\)/,
    );
    const batchError = await fit(model, data, {
      loss: noisyLoss(model),
      batchSize: 8,
      checkpoint: { store },
    }).catch((e: unknown) => e);
    expect((batchError as VaeError).code).toBe('CHECKPOINT_MISMATCH');
    expect((batchError as Error).message).toContain('batchSize 16');
    tf.dispose(other.trainableVariables);
    model.dispose();
  });

  it('writes checkpoints on schedule and emits an event for each', async () => {
    const store = memoryCheckpointStore();
    const model = linearModel();
    const saved: number[] = [];
    await fit(model, data, {
      loss: noisyLoss(model),
      batchSize: 16,
      epochs: 2,
      checkpoint: { store, everySteps: 3 },
      onEvent: (e) => void (e.type === 'checkpoint' && saved.push(e.step)),
    });
    // every 3 steps, after epoch 1 (step 4), and at the end (step 8)
    expect(saved).toEqual([3, 4, 6, 8]);
    expect(store.saves).toBe(4);
    model.dispose();
  });
});

describe('checkpoint encoding', () => {
  async function sample(): Promise<Checkpoint> {
    const store = memoryCheckpointStore();
    const model = linearModel(0.5);
    await fit(model, data, { loss: noisyLoss(model), batchSize: 32, checkpoint: { store } });
    model.dispose();
    return (await store.load())!;
  }

  it('round-trips through bytes', async () => {
    const checkpoint = await sample();
    const again = decodeCheckpoint(encodeCheckpoint(checkpoint));
    expect(again.state).toEqual(checkpoint.state);
    expect(again.weightSpecs).toEqual(checkpoint.weightSpecs);
    expect(new Uint8Array(again.weightData)).toEqual(new Uint8Array(checkpoint.weightData));
  });

  it('decodes from a view into a larger buffer (as a pooled Node Buffer is)', async () => {
    const checkpoint = await sample();
    const bytes = encodeCheckpoint(checkpoint);
    const padded = new Uint8Array(bytes.length + 13);
    padded.set(bytes, 5);
    // A view with a non-zero offset, the shape of a Node Buffer from the pool.
    const again = decodeCheckpoint(new Uint8Array(padded.buffer, 5, bytes.length));
    expect(again.weightData.byteLength).toBe(checkpoint.weightData.byteLength);
    expect(new Uint8Array(again.weightData)).toEqual(new Uint8Array(checkpoint.weightData));
  });

  it('detects a flipped byte, a truncation and foreign bytes as CHECKPOINT_CORRUPT', async () => {
    const bytes = encodeCheckpoint(await sample());
    const flipped = bytes.slice();
    flipped[bytes.length - 20]! ^= 0x01;
    for (const damaged of [flipped, bytes.slice(0, bytes.length - 7), new Uint8Array(64)]) {
      const error = (() => {
        try {
          decodeCheckpoint(damaged, 'run.ckpt');
        } catch (e) {
          return e;
        }
      })();
      expect(VaeError.isInstance(error) && error.code).toBe('CHECKPOINT_CORRUPT');
      expect((error as Error).message).toContain('run.ckpt');
    }
  });

  it('saves and loads through a tf.io handler', async () => {
    const checkpoint = await sample();
    let artifacts: tf.io.ModelArtifacts | undefined;
    const handler: tf.io.IOHandler = {
      save: async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      },
      load: async () => {
        if (artifacts === undefined) throw new Error('nothing saved yet');
        return artifacts;
      },
    };
    // Without `exists`, the handler's own error reaches the caller: no guessing from its text.
    await expect(ioHandlerCheckpointStore(handler).load()).rejects.toThrow('nothing saved yet');
    const store = ioHandlerCheckpointStore(handler, {
      exists: async () => artifacts !== undefined,
    });
    expect(await store.load()).toBeUndefined();
    await store.save(checkpoint);
    const loaded = (await store.load())!;
    expect(loaded.state).toEqual(checkpoint.state);
    expect(new Uint8Array(loaded.weightData)).toEqual(new Uint8Array(checkpoint.weightData));
  });

  it('stores by indexeddb:// URL where IndexedDB exists, knowing from tf.io.listModels when it is empty', async () => {
    const url = `indexeddb://vae-trainer-test-${Date.now()}`;
    const store = ioHandlerCheckpointStore(url);
    const checkpoint = await sample();
    if (tf.io.getSaveHandlers(url).length === 0) {
      // Node: tfjs routes indexeddb:// nowhere, and the store says so.
      await expect(store.save(checkpoint)).rejects.toThrow(/no tf\.io handler can save/);
      return;
    }
    expect(await store.load()).toBeUndefined();
    await store.save(checkpoint);
    const loaded = (await store.load())!;
    expect(loaded.state).toEqual(checkpoint.state);
    expect(new Uint8Array(loaded.weightData)).toEqual(new Uint8Array(checkpoint.weightData));
    await tf.io.removeModel(url);
  });
});
