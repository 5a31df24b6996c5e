import * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from '@vae/divergence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchContext,
  checkpointModelArtifacts,
  decodeCheckpoint,
  encodeCheckpoint,
  FusedAdam,
  fit,
  memoryCheckpointStore,
  restoreModel,
  type TrainingData,
  type TrainingEvent,
  VaeError,
} from '../src/index.js';
import { regressionData } from './helpers.js';

let x: tf.Tensor2D;
let y: tf.Tensor2D;
beforeAll(() => {
  ({ x, y } = regressionData());
});
afterAll(() => tf.dispose([x, y]));

/** A model with named parameters, listed in a chosen order. */
function namedModel(init: number, order: 'wb' | 'bw' = 'wb') {
  const w = tf.variable(tf.fill([3, 1], init));
  const b = tf.variable(tf.fill([1], init));
  const named: [string, tf.Variable][] = [
    ['layer.weight', w],
    ['layer.bias', b],
  ];
  const parameters = order === 'wb' ? named : [...named].reverse();
  return {
    w,
    b,
    trainableVariables: parameters.map(([, v]) => v),
    namedParameters: () => parameters,
    architecture: () => ({ format: 'test-model', layers: 1 }),
    dispose: () => tf.dispose([w, b]),
  };
}
type Model = ReturnType<typeof namedModel>;

/**
 * Batches with per-batch noise (like dynamic binarization): with a context the
 * noise is a pure function of (context.seed, indices), without one it comes from
 * a call counter (the behaviour that broke resume).
 */
function noisyData(useContext: boolean): TrainingData<{ x: tf.Tensor; y: tf.Tensor }> {
  let calls = 0;
  return {
    size: 64,
    getBatch(indices, context?: BatchContext) {
      const uniform = seededUniform(useContext && context ? context.seed : calls++, 0);
      const noise = Float32Array.from({ length: indices.length * 3 }, () => uniform() - 0.5);
      return tf.tidy(() => {
        const index = tf.tensor1d(indices as number[], 'int32');
        const xs = tf.add(tf.gather(x, index), tf.tensor2d(noise, [indices.length, 3]));
        return { x: xs, y: tf.gather(y, index) };
      });
    },
  };
}

function loss(model: Model) {
  return ({ x: xs, y: ys }: { x: tf.Tensor; y: tf.Tensor }) => {
    const prediction = tf.add(tf.matMul(xs, model.w), model.b);
    const error = tf.losses.meanSquaredError(ys, prediction) as tf.Scalar;
    return {
      loss: error,
      metrics: {
        bias: tf.reshape(model.b, []) as tf.Scalar,
        double: tf.mul(error, 2) as tf.Scalar,
      },
    };
  };
}

function values(model: Model): number[] {
  return [...model.w.dataSync(), ...model.b.dataSync()];
}

async function run(options: { useContext: boolean; stopAfter?: number; epochs?: number }) {
  const store = memoryCheckpointStore();
  const model = namedModel(0.1);
  const controller = new AbortController();
  const base = { epochs: options.epochs ?? 3, batchSize: 16, seed: 0, learningRate: 0.05 };
  const data = noisyData(options.useContext);
  const first = await fit(model, data, {
    ...base,
    loss: loss(model),
    signal: controller.signal,
    checkpoint: { store },
    onEvent: (event) => {
      if (event.type === 'batch' && event.step === options.stopAfter) controller.abort();
    },
  });
  let history = first.history;
  let resumed: Model = model;
  if (options.stopAfter !== undefined) {
    resumed = namedModel(-2);
    history = (
      await fit(resumed, noisyData(options.useContext), {
        ...base,
        loss: loss(resumed),
        checkpoint: { store },
      })
    ).history;
    model.dispose();
  }
  const weights = values(resumed);
  resumed.dispose();
  return { weights, history };
}

describe('a resumed run reproduces the uninterrupted one', () => {
  it('bit for bit, with batch noise drawn from the batch context (seed 0)', async () => {
    const reference = await run({ useContext: true });
    for (const stopAfter of [4, 5, 9]) {
      const resumed = await run({ useContext: true, stopAfter });
      if (tf.getBackend() === 'cpu') expect(resumed.weights).toEqual(reference.weights);
      else
        expect(
          resumed.weights.map((v, i) => Math.abs(v - reference.weights[i]!) < 1e-6),
        ).not.toContain(false);
      expect(resumed.history.map((h) => h.loss)).toEqual(reference.history.map((h) => h.loss));
    }
  });

  it('(and a source that ignores the context does not: the test can fail)', async () => {
    const reference = await run({ useContext: false });
    const resumed = await run({ useContext: false, stopAfter: 5 });
    expect(resumed.weights).not.toEqual(reference.weights);
  });

  it('different seeds train to different weights, equal seeds to equal ones', async () => {
    const train = async (seed: number) => {
      const model = namedModel(0.1);
      await fit(model, noisyData(true), {
        loss: loss(model),
        epochs: 1,
        batchSize: 16,
        seed,
        learningRate: 0.05,
      });
      const weights = values(model);
      model.dispose();
      return weights;
    };
    expect(await train(0)).toEqual(await train(0));
    expect(await train(0)).not.toEqual(await train(1));
  });
});

describe('metrics from the loss', () => {
  it('are read with the loss, averaged per epoch and reported in events', async () => {
    const model = namedModel(0.1);
    const events: TrainingEvent[] = [];
    const result = await fit(model, noisyData(true), {
      loss: loss(model),
      validationData: noisyData(true),
      epochs: 2,
      batchSize: 16,
      learningRate: 0.05,
      onEvent: (event) => void events.push(event),
    });
    const batches = events.filter((e) => e.type === 'batch');
    for (const batch of batches) {
      expect(batch.metrics.double).toBeCloseTo(2 * batch.loss, 4);
    }
    const epoch0 = batches.filter((e) => e.epoch === 0);
    const meanDouble = epoch0.reduce((s, e) => s + e.metrics.double! * e.size, 0) / 64;
    expect(result.history[0]!.metrics?.double).toBeCloseTo(meanDouble, 4);
    expect(result.history[0]!.validationMetrics?.double).toBeCloseTo(
      2 * result.history[0]!.validationLoss!,
      4,
    );
    const epochEvent = events.find((e) => e.type === 'epoch');
    expect(epochEvent?.type === 'epoch' && epochEvent.metrics?.bias).toBeCloseTo(
      result.history[0]!.metrics!.bias!,
      6,
    );
    model.dispose();
  });
});

describe('checkpoints by name', () => {
  it('restore into a model whose parameters are listed in another order, Adam state included', async () => {
    for (const makeOptimizer of [() => new FusedAdam(0.05), () => tf.train.adam(0.05)]) {
      const base = { epochs: 2, batchSize: 16, seed: 3 };
      const reference = namedModel(0.1, 'wb');
      const referenceOptimizer = makeOptimizer();
      await fit(reference, noisyData(true), {
        ...base,
        loss: loss(reference),
        optimizer: referenceOptimizer,
      });
      const store = memoryCheckpointStore();
      const a = namedModel(0.1, 'wb');
      const optimizerA = makeOptimizer();
      await fit(a, noisyData(true), {
        ...base,
        epochs: 1,
        loss: loss(a),
        optimizer: optimizerA,
        checkpoint: { store },
      });
      const saved = (await store.load())!;
      expect(saved.weightSpecs.map((spec) => spec.name)).toEqual([
        'model/layer.weight',
        'model/layer.bias',
        'optimizer/iter',
        'optimizer/layer.weight/m',
        'optimizer/layer.bias/m',
        'optimizer/layer.weight/v',
        'optimizer/layer.bias/v',
      ]);
      expect(saved.modelTopology).toEqual({ format: 'test-model', layers: 1 });
      // A twin listing its parameters the other way round resumes from it to the same end.
      const b = namedModel(-5, 'bw');
      const optimizerB = makeOptimizer();
      await fit(b, noisyData(true), {
        ...base,
        loss: loss(b),
        optimizer: optimizerB,
        checkpoint: { store },
      });
      const expected = values(reference);
      const differences = values(b).map((v, i) => Math.abs(v - expected[i]!));
      expect(Math.max(...differences)).toBeLessThan(1e-5);
      for (const m of [reference, a, b]) m.dispose();
      for (const o of [referenceOptimizer, optimizerA, optimizerB]) o.dispose();
    }
  });

  it('restoreModel and checkpointModelArtifacts give the model part by name', async () => {
    const store = memoryCheckpointStore();
    const model = namedModel(0.3);
    await fit(model, noisyData(true), {
      loss: loss(model),
      epochs: 1,
      batchSize: 32,
      checkpoint: { store },
    });
    const checkpoint = (await store.load())!;
    const twin = namedModel(0, 'bw');
    restoreModel(twin, checkpoint);
    expect(values(twin)).toEqual(values(model));
    const artifacts = checkpointModelArtifacts(checkpoint);
    expect(artifacts.modelTopology).toEqual({ format: 'test-model', layers: 1 });
    expect(artifacts.weightSpecs?.map((s) => s.name)).toEqual(['layer.weight', 'layer.bias']);
    expect(Array.from(new Float32Array(artifacts.weightData as ArrayBuffer))).toEqual(
      values(model),
    );
    const wrong = { trainableVariables: [tf.variable(tf.zeros([2]))] };
    expect(() => restoreModel(wrong, checkpoint)).toThrowError(
      /missing: 0; unexpected: layer\.weight, layer\.bias/,
    );
    tf.dispose(wrong.trainableVariables);
    model.dispose();
    twin.dispose();
  });

  it('an already-aborted run writes a checkpoint that resumes', async () => {
    const store = memoryCheckpointStore();
    const model = namedModel(0.1);
    const controller = new AbortController();
    controller.abort();
    const stopped = await fit(model, noisyData(true), {
      loss: loss(model),
      batchSize: 16,
      signal: controller.signal,
      checkpoint: { store },
    });
    expect(stopped.stopped?.reason).toBe('aborted');
    expect(stopped.steps).toBe(0);
    const resumed = await fit(model, noisyData(true), {
      loss: loss(model),
      batchSize: 16,
      checkpoint: { store },
    });
    expect(resumed.steps).toBe(4);
    model.dispose();
  });

  it("refuses another run's checkpoint by its run id", async () => {
    const store = memoryCheckpointStore();
    const model = namedModel(0.1);
    await fit(model, noisyData(true), {
      loss: loss(model),
      batchSize: 32,
      checkpoint: { store, runId: 'run-a' },
    });
    const error = await fit(model, noisyData(true), {
      loss: loss(model),
      batchSize: 32,
      epochs: 2,
      checkpoint: { store, runId: 'run-b' },
    }).catch((e: unknown) => e);
    expect(VaeError.isInstance(error) && error.code).toBe('CHECKPOINT_MISMATCH');
    expect((error as Error).message).toMatch(/belongs to run run-a, this is run run-b/);
    model.dispose();
  });
});

describe('checkpoint headers are checked before anything is allocated', () => {
  async function bytes(): Promise<Uint8Array> {
    const store = memoryCheckpointStore();
    const model = namedModel(0.1);
    await fit(model, noisyData(true), { loss: loss(model), batchSize: 32, checkpoint: { store } });
    model.dispose();
    return encodeCheckpoint((await store.load())!);
  }

  /** Re-encodes a checkpoint with its header edited (the CRC recomputed). */
  function edited(
    original: Uint8Array,
    edit: (header: Record<string, unknown>) => void,
  ): Uint8Array {
    const decoded = decodeCheckpoint(original);
    const header = structuredClone({ ...decoded, weightData: undefined }) as Record<
      string,
      unknown
    >;
    edit(header);
    return encodeCheckpoint({ ...(header as object), weightData: decoded.weightData } as never);
  }

  it('rejects hostile and damaged headers with a clear error', async () => {
    const good = await bytes();
    const cases: [(h: Record<string, unknown>) => void, RegExp][] = [
      [
        (h) => (h.weightSpecs as unknown[]).push({ name: 'x', shape: [1e12], dtype: 'string' }),
        /not a float32 or int32 tensor spec/,
      ],
      [
        (h) =>
          (h.weightSpecs as unknown[]).push({ name: 'x', shape: [1e9, 1e9], dtype: 'float32' }),
        /more than 4294967296 bytes/,
      ],
      [(h) => (h.state = null), /`state` must be an object/],
      [
        (h) => ((h.state as Record<string, unknown>).step = -1),
        /state\.step must be a non-negative integer/,
      ],
      [
        (h) => ((h.state as Record<string, unknown>).history = [null]),
        /state\.history\[0\] is not an epoch summary/,
      ],
      [
        (h) => Object.assign(h, { format: 'vae-trainer-checkpoint', version: 1 }),
        /earlier @vae\/trainer .* version 1, weights by position/,
      ],
      [(h) => (h.version = 3), /version 3 is not a vae checkpoint version 2/],
    ];
    for (const [edit, message] of cases) {
      let error: unknown;
      try {
        decodeCheckpoint(edited(good, edit), 'run.ckpt');
      } catch (caught) {
        error = caught;
      }
      expect(VaeError.isInstance(error) && error.code, String(message)).toBe('CHECKPOINT_CORRUPT');
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain('run.ckpt');
    }
  });
});
