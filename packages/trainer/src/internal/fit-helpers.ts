import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import type { FitOptions, LossContext } from '../fit-options.js';
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

/** Mean of `loss` over `data`, weighted by batch size; reads one number per batch. */
export async function meanLoss<B extends tf.TensorContainer>(
  data: TrainingData<B>,
  loss: (batch: B, context: LossContext) => tf.Scalar,
  options: { batchSize: number; context: LossContext },
): Promise<number> {
  let total = 0;
  for (let start = 0; start < data.size; start += options.batchSize) {
    const indices: number[] = [];
    for (let i = start; i < Math.min(start + options.batchSize, data.size); i++) indices.push(i);
    const batch = await data.getBatch(indices);
    try {
      const value = tf.tidy(() => loss(batch, options.context));
      total += (await value.data())[0]! * indices.length;
      value.dispose();
    } finally {
      tf.dispose(batch);
    }
  }
  return total / data.size;
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
  positiveInteger(options.checkpoint?.everyEpochs, 'checkpoint.everyEpochs');
  positiveInteger(options.checkpoint?.everySteps, 'checkpoint.everySteps');
  ensureArgument(
    options.seed === undefined || Number.isInteger(options.seed),
    () => `fit: \`seed\` must be an integer, got ${options.seed}`,
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
