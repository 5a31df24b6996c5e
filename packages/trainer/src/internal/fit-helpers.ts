import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, ensureArgument } from '@vae/divergence';
import type { FitOptions, LossContext, LossResult } from '../fit-options.js';
import type { TrainingData } from '../training-data.js';

/** Sets the learning rate on any tf.train optimizer. */
export function setLearningRate(optimizer: tf.Optimizer, value: number): void {
  const target = optimizer as tf.Optimizer & {
    setLearningRate?: (value: number) => void;
    learningRate?: number;
  };
  if (typeof target.setLearningRate === 'function') {
    if (target.learningRate !== value) target.setLearningRate(value);
  } else {
    target.learningRate = value;
  }
}

/** The loss and metrics of a loss function's output as one float32 vector [loss, ...metrics]. */
export function lossVector(output: tf.Tensor | LossResult): {
  vector: tf.Tensor1D;
  names: string[];
} {
  return tf.tidy(() => {
    const { loss, metrics = {} } = output instanceof tf.Tensor ? { loss: output } : output;
    const names = Object.keys(metrics);
    const parts = [loss, ...names.map((name) => metrics[name]!)].map((t) =>
      tf.cast(tf.reshape(t, []), 'float32'),
    );
    return { vector: tf.stack(parts) as tf.Tensor1D, names };
  });
}

/**
 * Means of `loss` and its metrics over `data`, weighted by batch size; reads one
 * small vector per batch. Batch `i` gets the context's seed mixed with `i`.
 */
export async function meanLoss<B extends tf.TensorContainer>(
  data: TrainingData<B>,
  loss: (batch: B, context: LossContext) => tf.Tensor | LossResult,
  options: { batchSize: number; context: LossContext },
): Promise<{ loss: number; metrics: Record<string, number> }> {
  let total = 0;
  const sums: Record<string, number> = {};
  for (let start = 0, i = 0; start < data.size; start += options.batchSize, i++) {
    const indices: number[] = [];
    for (let j = start; j < Math.min(start + options.batchSize, data.size); j++) indices.push(j);
    const { context } = options;
    const batch = await data.getBatch(indices, {
      epoch: context.epoch,
      step: context.step,
      seed: deriveSeed(context.seed, i),
      training: false,
    });
    try {
      const { vector, names } = tf.tidy(() => lossVector(loss(batch, context)));
      const values = await vector.data();
      vector.dispose();
      total += values[0]! * indices.length;
      names.forEach((name, k) => {
        sums[name] = (sums[name] ?? 0) + values[k + 1]! * indices.length;
      });
    } finally {
      tf.dispose(batch);
    }
  }
  const metrics = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / data.size]));
  return { loss: total / data.size, metrics };
}

function positiveInteger(value: number | undefined, name: string): void {
  ensureArgument(
    value === undefined || (Number.isInteger(value) && value > 0),
    () => `fit: \`${name}\` must be a positive integer, got ${value}`,
  );
}

/** Checks `fit`'s arguments at the boundary. */
export function validateFitArguments<B extends tf.TensorContainer>(
  data: TrainingData<B>,
  options: FitOptions<B>,
): void {
  ensureArgument(
    typeof options?.loss === 'function',
    () => `fit: \`options.loss\` must be a function, got ${typeof options?.loss}`,
  );
  ensureArgument(
    Number.isInteger(data?.size) && data.size > 0 && typeof data.getBatch === 'function',
    () =>
      `fit: \`data\` must be a tensor or { size, getBatch }, got size ${data?.size} and getBatch ${typeof data?.getBatch}`,
  );
  positiveInteger(options.epochs, 'epochs');
  positiveInteger(options.batchSize, 'batchSize');
  positiveInteger(options.validationBatchSize, 'validationBatchSize');
  positiveInteger(options.yieldEvery, 'yieldEvery');
  ensureArgument(
    options.yieldIntervalMs === undefined ||
      (Number.isFinite(options.yieldIntervalMs) && options.yieldIntervalMs >= 0),
    () => `fit: \`yieldIntervalMs\` must be a finite number >= 0, got ${options.yieldIntervalMs}`,
  );
  positiveInteger(options.checkpoint?.everyEpochs, 'checkpoint.everyEpochs');
  positiveInteger(options.checkpoint?.everySteps, 'checkpoint.everySteps');
  ensureArgument(
    options.seed === undefined || Number.isInteger(options.seed),
    () => `fit: \`seed\` must be an integer, got ${options.seed}`,
  );
  ensureArgument(
    options.checkpoint?.runId === undefined ||
      (typeof options.checkpoint.runId === 'string' && options.checkpoint.runId.length <= 200),
    () => 'fit: `checkpoint.runId` must be a string of at most 200 characters',
  );
  ensureArgument(
    typeof options.learningRate !== 'number' || options.learningRate > 0,
    () => `fit: \`learningRate\` must be positive, got ${options.learningRate}`,
  );
  ensureArgument(
    options.clipNorm === undefined || options.clipNorm > 0,
    () => `fit: \`clipNorm\` must be positive, got ${options.clipNorm}`,
  );
  const patience = options.earlyStopping?.patience;
  ensureArgument(
    patience === undefined || (Number.isInteger(patience) && patience >= 1),
    () => `fit: \`earlyStopping.patience\` must be an integer >= 1, got ${patience}`,
  );
  ensureArgument(
    options.earlyStopping?.monitor !== 'validationLoss' || options.validationData !== undefined,
    () => "fit: `earlyStopping.monitor` is 'validationLoss' but no `validationData` was given",
  );
}
