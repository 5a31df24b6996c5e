import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Checkpoint, TrainingState } from '../checkpoint.js';

interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

function isVariable(tensor: tf.Tensor): boolean {
  return typeof (tensor as Partial<tf.Variable>).assign === 'function';
}

/** Captures variables, optimizer weights and `state` into a checkpoint. */
export async function captureCheckpoint(
  variables: readonly tf.Variable[],
  optimizer: tf.Optimizer,
  state: Omit<
    TrainingState,
    'variableShapes' | 'variableNames' | 'optimizer' | 'optimizerWeightCount'
  >,
): Promise<Checkpoint> {
  const optimizerWeights = await optimizer.getWeights();
  try {
    const named: NamedTensor[] = [
      ...variables.map((v, i) => ({ name: `model/${i}`, tensor: v as tf.Tensor })),
      ...optimizerWeights.map((w, i) => ({ name: `optimizer/${i}/${w.name}`, tensor: w.tensor })),
    ];
    const { data, specs } = await tf.io.encodeWeights(named);
    return {
      format: 'vae-trainer-checkpoint',
      version: 1,
      state: {
        ...structuredClone(state),
        variableShapes: variables.map((v) => [...v.shape]),
        variableNames: variables.map((v) => v.name),
        optimizer: optimizer.getClassName(),
        optimizerWeightCount: optimizerWeights.length,
      },
      weightSpecs: specs,
      weightData: data as ArrayBuffer,
    };
  } finally {
    // getWeights() returns the live slot variables plus fresh tensors (the iteration count).
    tf.dispose(optimizerWeights.map((w) => w.tensor).filter((t) => !isVariable(t)));
  }
}

function mismatch(message: string): VaeError {
  return new VaeError('CHECKPOINT_MISMATCH', `fit: the checkpoint does not fit: ${message}`);
}

/** Checks that a checkpoint belongs to this model, optimizer and data. */
export function checkCompatible(
  checkpoint: Checkpoint,
  variables: readonly tf.Variable[],
  expected: { optimizer: tf.Optimizer; batchSize: number; dataSize: number; seed: number },
): void {
  const { state } = checkpoint;
  if (state.variableShapes.length !== variables.length) {
    throw mismatch(
      `it has ${state.variableShapes.length} variables, the model has ${variables.length}`,
    );
  }
  variables.forEach((v, i) => {
    const saved = state.variableShapes[i]!;
    if (saved.length !== v.shape.length || saved.some((d, k) => d !== v.shape[k])) {
      throw mismatch(
        `variable ${i} ('${state.variableNames[i]}') has shape [${saved}], the model's ('${v.name}') has [${v.shape}]`,
      );
    }
  });
  const optimizer = expected.optimizer.getClassName();
  if (state.optimizer !== optimizer) {
    throw mismatch(`it was saved with a ${state.optimizer} optimizer, this run uses ${optimizer}`);
  }
  for (const key of ['batchSize', 'dataSize', 'seed'] as const) {
    if (state[key] !== expected[key]) {
      throw mismatch(`it was saved with ${key} ${state[key]}, this run has ${expected[key]}`);
    }
  }
}

/** Writes a checkpoint's weights into the variables and the optimizer. */
export async function restoreCheckpoint(
  checkpoint: Checkpoint,
  variables: readonly tf.Variable[],
  optimizer: tf.Optimizer,
): Promise<void> {
  let decoded: tf.NamedTensorMap;
  try {
    decoded = tf.io.decodeWeights(checkpoint.weightData, checkpoint.weightSpecs);
  } catch (error) {
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `fit: the checkpoint's weights do not decode: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  const optimizerWeights: NamedTensor[] = [];
  try {
    variables.forEach((v, i) => {
      const value = decoded[`model/${i}`];
      if (value === undefined) throw mismatch(`it has no value for variable ${i}`);
      v.assign(value);
    });
    const prefix = /^optimizer\/(\d+)\/(.*)$/;
    for (const spec of checkpoint.weightSpecs) {
      const match = prefix.exec(spec.name);
      if (match !== null) {
        optimizerWeights[Number(match[1])] = { name: match[2]!, tensor: decoded[spec.name]! };
      }
    }
    if (optimizerWeights.length > 0) await optimizer.setWeights(optimizerWeights);
  } finally {
    // Optimizers keep their own copies (`tensor.variable()`), so the decoded tensors go.
    tf.dispose(Object.values(decoded));
  }
}
