import * as tf from '@tensorflow/tfjs-core';
import { assignByName, VaeError } from '@vae/divergence';
import type { Checkpoint, TrainingState } from '../checkpoint.js';

const MODEL = 'model/';
const OPTIMIZER = 'optimizer/';

/** The model's parameters by name, and which of them the optimizer trains. */
export interface NamedModel {
  /** Every parameter by name (trainable or not): what a checkpoint saves. */
  parameters: [string, tf.Variable][];
  /** The variables the optimizer updates, in a fixed order. */
  trainable: tf.Variable[];
  /** `model.architecture()`, when the model has one. */
  topology: unknown;
}

interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

function isVariable(tensor: tf.Tensor): boolean {
  return typeof (tensor as Partial<tf.Variable>).assign === 'function';
}

/** tfjs variable name -> parameter name. */
function parameterNames(model: NamedModel): Map<string, string> {
  return new Map(model.parameters.map(([name, variable]) => [variable.name, name]));
}

/**
 * Optimizer weight names tfjs gives (`<tfjs variable name>/<slot>`, `iter`) as
 * names keyed by parameter (`<parameter>/<slot>`), which survive a new process.
 */
function keyedByParameter(name: string, names: Map<string, string>): string {
  const slash = name.lastIndexOf('/');
  if (slash > 0) {
    const parameter = names.get(name.slice(0, slash));
    if (parameter !== undefined) return `${parameter}/${name.slice(slash + 1)}`;
  }
  return name;
}

/** Captures the model's parameters, the optimizer's state and `state` into a checkpoint. */
export async function captureCheckpoint(
  model: NamedModel,
  optimizer: tf.Optimizer,
  state: Omit<TrainingState, 'optimizer'>,
): Promise<Checkpoint> {
  const optimizerWeights = await optimizer.getWeights();
  try {
    const names = parameterNames(model);
    const named: NamedTensor[] = [
      ...model.parameters.map(([name, variable]) => ({
        name: MODEL + name,
        tensor: variable as tf.Tensor,
      })),
      ...optimizerWeights.map((w) => ({
        name: OPTIMIZER + keyedByParameter(w.name, names),
        tensor: w.tensor,
      })),
    ];
    const { data, specs } = await tf.io.encodeWeights(named);
    return {
      format: 'vae-checkpoint',
      version: 2,
      state: { ...structuredClone(state), optimizer: optimizer.getClassName() },
      ...(model.topology === undefined ? {} : { modelTopology: structuredClone(model.topology) }),
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

/** Checks that a checkpoint belongs to this optimizer, data and run. */
export function checkCompatible(
  checkpoint: Checkpoint,
  expected: {
    optimizer: tf.Optimizer;
    batchSize: number;
    dataSize: number;
    seed: number;
    runId: string | undefined;
  },
): void {
  const { state } = checkpoint;
  const optimizer = expected.optimizer.getClassName();
  if (state.optimizer !== optimizer) {
    throw mismatch(`it was saved with a ${state.optimizer} optimizer, this run uses ${optimizer}`);
  }
  for (const key of ['batchSize', 'dataSize', 'seed'] as const) {
    if (state[key] !== expected[key]) {
      throw mismatch(`it was saved with ${key} ${state[key]}, this run has ${expected[key]}`);
    }
  }
  if (expected.runId !== undefined && state.runId !== expected.runId) {
    throw mismatch(`it belongs to run ${state.runId ?? '(none)'}, this is run ${expected.runId}`);
  }
}

/** Decodes a checkpoint's weights by name; the caller disposes them. */
export function decodeCheckpointWeights(checkpoint: Checkpoint, fn: string): tf.NamedTensorMap {
  try {
    return tf.io.decodeWeights(checkpoint.weightData, checkpoint.weightSpecs);
  } catch (error) {
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `${fn}: the checkpoint's weights do not decode: ${String(error)}`,
      { cause: error },
    );
  }
}

/** The model part of decoded weights: parameter name -> tensor (borrowed from `decoded`). */
export function modelWeights(decoded: tf.NamedTensorMap): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, tensor] of Object.entries(decoded)) {
    if (name.startsWith(MODEL)) out.set(name.slice(MODEL.length), tensor);
  }
  return out;
}

/**
 * The optimizer weights in the layout tfjs optimizers expect: globals (`iter`)
 * first, then one group per slot (m, v, ...) with one tensor per trainable
 * variable in the current order, named by the current tfjs variable names.
 */
function optimizerLayout(decoded: tf.NamedTensorMap, model: NamedModel): NamedTensor[] {
  const byParameter = new Map(model.parameters.map(([name, v]) => [v.name, name]));
  const globals: NamedTensor[] = [];
  const slots = new Map<string, Map<string, tf.Tensor>>();
  const parameterSet = new Set(model.parameters.map(([name]) => name));
  for (const [fullName, tensor] of Object.entries(decoded)) {
    if (!fullName.startsWith(OPTIMIZER)) continue;
    const name = fullName.slice(OPTIMIZER.length);
    const slash = name.lastIndexOf('/');
    const parameter = slash > 0 ? name.slice(0, slash) : undefined;
    if (parameter !== undefined && parameterSet.has(parameter)) {
      const slot = name.slice(slash + 1);
      if (!slots.has(slot)) slots.set(slot, new Map());
      slots.get(slot)!.set(parameter, tensor);
    } else if (slash > 0) {
      throw mismatch(`its optimizer state names '${parameter}', which the model does not have`);
    } else {
      globals.push({ name, tensor });
    }
  }
  const layout = [...globals];
  for (const [slot, values] of slots) {
    const missing = model.trainable.filter((v) => !values.has(byParameter.get(v.name)!));
    if (missing.length > 0) {
      throw mismatch(
        `its optimizer state has no '${slot}' for ${missing.map((v) => byParameter.get(v.name)).join(', ')}`,
      );
    }
    for (const variable of model.trainable) {
      layout.push({
        name: `${variable.name}/${slot}`,
        tensor: values.get(byParameter.get(variable.name)!)!,
      });
    }
  }
  return layout;
}

/** Writes a checkpoint's weights into the model (by name) and the optimizer; all or nothing for the model. */
export async function restoreCheckpoint(
  checkpoint: Checkpoint,
  model: NamedModel,
  optimizer: tf.Optimizer,
): Promise<void> {
  const decoded = decodeCheckpointWeights(checkpoint, 'fit');
  try {
    const weights = modelWeights(decoded);
    // The model's names first (the clearer message), then the optimizer's, then assign.
    assignByName(model.parameters, weights, { source: 'the checkpoint', validateOnly: true });
    const layout = optimizerLayout(decoded, model);
    assignByName(model.parameters, weights, { source: 'the checkpoint' });
    if (layout.length > 0) await optimizer.setWeights(layout);
  } finally {
    // Optimizers keep their own copies (`tensor.variable()`), so the decoded tensors go.
    tf.dispose(Object.values(decoded));
  }
}
