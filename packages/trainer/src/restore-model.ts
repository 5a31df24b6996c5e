import * as tf from '@tensorflow/tfjs-core';
import { assignByName } from '@vae/divergence';
import type { Checkpoint } from './checkpoint.js';
import type { Trainable } from './fit-options.js';
import { decodeCheckpointWeights, modelWeights } from './internal/checkpoint-state.js';

/**
 * Restores a model's parameters from a checkpoint by name (strict: the
 * missing, unexpected and mis-shaped names are listed in a
 * `VaeError('CHECKPOINT_MISMATCH')`, and nothing is assigned). Names are
 * `model.namedParameters()` (every `@vae/nn` module), or positions for a model
 * without them. The optimizer state is not touched. `source` names the checkpoint
 * (a file path) in error messages.
 *
 * @param model - The model whose parameters are assigned (by name, or by position without names).
 * @param checkpoint - A checkpoint `fit` saved.
 * @param options - `source` names the checkpoint in error messages.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit, memoryCheckpointStore, restoreModel } from '@vae/trainer';
 * const w = tf.variable(tf.zeros([2]));
 * const store = memoryCheckpointStore();
 * await fit({ trainableVariables: [w] }, tf.ones([8, 2]), {
 *   loss: (x) => tf.mean(tf.square(tf.sub(x, w))),
 *   checkpoint: { store },
 * });
 * const fresh = tf.variable(tf.zeros([2]));
 * restoreModel({ trainableVariables: [fresh] }, (await store.load())!);
 * console.log(tf.all(tf.equal(fresh, w)).dataSync()[0]); // -> 1
 * ```
 */
export function restoreModel(
  model: Trainable,
  checkpoint: Checkpoint,
  options: { source?: string } = {},
): void {
  const parameters: [string, tf.Variable][] =
    typeof model.namedParameters === 'function'
      ? model.namedParameters()
      : model.trainableVariables.map((variable, i) => [String(i), variable]);
  const decoded = decodeCheckpointWeights(checkpoint, 'restoreModel');
  try {
    assignByName(parameters, modelWeights(decoded), { source: options.source ?? 'the checkpoint' });
  } finally {
    tf.dispose(Object.values(decoded));
  }
}

/**
 * The model part of a checkpoint as tfjs `ModelArtifacts`: the architecture it
 * recorded (`modelTopology`) and the parameters by name, the same format
 * `saveModel` of `@vae/nn` writes, so `loadModel(checkpointModelArtifacts(c))`
 * rebuilds the trained model. The weight bytes are a copy.
 *
 * @param checkpoint - A checkpoint `fit` saved.
 * @returns New artifacts for `loadModel` of `@vae/nn`.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { checkpointModelArtifacts, fit, memoryCheckpointStore } from '@vae/trainer';
 * const w = tf.variable(tf.zeros([2]));
 * const store = memoryCheckpointStore();
 * await fit({ trainableVariables: [w] }, tf.ones([8, 2]), {
 *   loss: (x) => tf.mean(tf.square(tf.sub(x, w))),
 *   checkpoint: { store },
 * });
 * const artifacts = checkpointModelArtifacts((await store.load())!);
 * console.log(artifacts.weightSpecs?.map((spec) => spec.name)); // -> [ '0' ]
 * // With a @vae/nn model: const model = await loadModel(artifacts);
 * ```
 */
export function checkpointModelArtifacts(checkpoint: Checkpoint): tf.io.ModelArtifacts {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of checkpoint.weightSpecs) {
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * 4;
    if (spec.name.startsWith('model/')) {
      specs.push({ ...spec, name: spec.name.slice('model/'.length) });
      parts.push(new Uint8Array(checkpoint.weightData, offset, bytes));
    }
    offset += bytes;
  }
  const data = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return {
    ...(checkpoint.modelTopology === undefined
      ? {}
      : { modelTopology: checkpoint.modelTopology as object }),
    format: 'vae-model',
    generatedBy: '@vae/trainer',
    weightSpecs: specs,
    weightData: data.buffer,
  };
}
