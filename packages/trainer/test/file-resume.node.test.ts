import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FitOptions, fit, type TrainingData, tensorData, VaeError } from '../src/index.js';
import { fileCheckpointStore } from '../src/node.js';
import { type Batch, regressionData } from './helpers.js';

let x: tf.Tensor2D;
let y: tf.Tensor2D;
let data: TrainingData<Batch>;
beforeAll(() => {
  ({ x, y } = regressionData());
  data = tensorData({ x, y });
});
afterAll(() => tf.dispose([x, y]));

function model(init: number) {
  const w = tf.variable(tf.fill([3, 1], init));
  const b = tf.variable(tf.fill([1], init));
  const named: [string, tf.Variable][] = [
    ['dense.weight', w],
    ['dense.bias', b],
  ];
  return { w, b, trainableVariables: [w, b], namedParameters: () => named };
}

function options(m: ReturnType<typeof model>): FitOptions<Batch> {
  return {
    loss: ({ x: xs, y: ys }, { seed }) =>
      tf.tidy(() => {
        const mse = tf.losses.meanSquaredError(ys, tf.add(tf.matMul(xs, m.w), m.b));
        const noise = tf.randomNormal([3, 1], 0, 1, 'float32', seed);
        return tf.add(mse, tf.mul(0.01, tf.sum(tf.mul(noise, m.w))));
      }),
    epochs: 3,
    batchSize: 16,
    seed: 0,
    learningRate: 0.05,
  };
}

const values = (m: ReturnType<typeof model>) => [...m.w.dataSync(), ...m.b.dataSync()];

describe('resume from a checkpoint file', () => {
  it('written mid-training by this version, to the weights of an uninterrupted run', async () => {
    const reference = model(0.2);
    await fit(reference, data, options(reference));
    const path = join(await mkdtemp(join(tmpdir(), 'vae-resume-')), 'run.ckpt');
    const first = model(0.2);
    const controller = new AbortController();
    await fit(first, data, {
      ...options(first),
      signal: controller.signal,
      checkpoint: { store: fileCheckpointStore(path) },
      onEvent: (event) => {
        if (event.type === 'batch' && event.step === 7) controller.abort();
      },
    });
    const second = model(-1);
    const result = await fit(second, data, {
      ...options(second),
      checkpoint: { store: fileCheckpointStore(path) },
    });
    expect(result.resumedFrom).toEqual({ epoch: 1, step: 7 });
    expect(values(second)).toEqual(values(reference));
    const v = tf.variable(tf.zeros([3, 1]));
    const other = {
      trainableVariables: [v],
      namedParameters: (): [string, tf.Variable][] => [['w', v]],
    };
    const error = await fit(other, data, {
      loss: () => tf.scalar(0),
      batchSize: 16,
      seed: 0,
      epochs: 4,
      checkpoint: { store: fileCheckpointStore(path) },
    }).catch((e: unknown) => e);
    expect(VaeError.isInstance(error) && error.code).toBe('CHECKPOINT_MISMATCH');
    expect((error as Error).message).toMatch(/missing: w; unexpected: dense\.weight, dense\.bias/);
    tf.dispose([v, reference.w, reference.b, first.w, first.b, second.w, second.b]);
  });
});
