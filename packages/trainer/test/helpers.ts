import * as tf from '@tensorflow/tfjs-core';
import type { FitOptions, TrainingData } from '../src/index.js';

/** y = x·[2, -1, 0.5] + 0.3 exactly, 64 examples: least squares has this exact optimum. */
export const TRUE_W = [2, -1, 0.5];
export const TRUE_B = 0.3;

export function regressionData(size = 64): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([size, 3], 0, 1, 'float32', 11) as tf.Tensor2D;
    const y = tf.add(tf.matMul(x, tf.tensor2d(TRUE_W, [3, 1])), TRUE_B) as tf.Tensor2D;
    return { x, y };
  });
}

export interface LinearModel {
  w: tf.Variable;
  b: tf.Variable;
  trainableVariables: tf.Variable[];
  dispose(): void;
}

export function linearModel(init = 0): LinearModel {
  const w = tf.variable(tf.fill([3, 1], init));
  const b = tf.variable(tf.fill([1], init));
  return {
    w,
    b,
    trainableVariables: [w, b],
    dispose: () => tf.dispose([w, b]),
  };
}

export type Batch = { x: tf.Tensor; y: tf.Tensor };

export function mseLoss(model: LinearModel): FitOptions<Batch>['loss'] {
  return ({ x, y }) => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, model.w), model.b));
}

/** MSE plus a small seeded noise term, so a step's result depends on its seed. */
export function noisyLoss(model: LinearModel): FitOptions<Batch>['loss'] {
  return ({ x, y }, { seed }) =>
    tf.tidy(() => {
      const mse = tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, model.w), model.b));
      const noise = tf.randomNormal([3, 1], 0, 1, 'float32', seed);
      return tf.add(mse, tf.mul(0.01, tf.sum(tf.mul(noise, model.w)))) as tf.Scalar;
    });
}

/** Records the indices of every batch requested. */
export function recordingData(data: TrainingData<Batch>, log: number[][]): TrainingData<Batch> {
  return {
    size: data.size,
    getBatch(indices) {
      log.push([...indices]);
      return data.getBatch(indices);
    },
  };
}

export function values(model: LinearModel): number[] {
  return [...model.w.dataSync(), ...model.b.dataSync()];
}
