import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Checkpoint } from './checkpoint.js';
import { AVERAGE_PREFIX as PREFIX } from './internal/average-weights.js';

/**
 * The averaged model of a checkpoint written through
 * {@link WeightAverage.checkpointStore}, as tfjs `ModelArtifacts`: the recorded
 * architecture and every parameter by name, the averaged value where there is
 * one, so `loadModel` of `@vae/nn` rebuilds the averaged model (the same
 * format as `checkpointModelArtifacts`, which gives the trained one).
 *
 * @param checkpoint - A checkpoint saved through `WeightAverage.checkpointStore`.
 * @returns New artifacts holding the averaged parameters, for `loadModel` of `@vae/nn`.
 * @throws `VaeError('INVALID_ARGUMENT')` when the checkpoint holds no average.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { averagedModelArtifacts, fit, memoryCheckpointStore, WeightAverage } from '@vae/trainer';
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const average = new WeightAverage(model);
 * const store = average.checkpointStore(memoryCheckpointStore());
 * await fit(model, tf.ones([8, 2]), { loss: (x) => tf.mean(tf.square(tf.sub(x, w))), onEvent: average.onEvent, checkpoint: { store } });
 * const artifacts = averagedModelArtifacts((await store.load())!);
 * console.log(artifacts.weightSpecs?.map((spec) => spec.name)); // -> [ '0' ]
 * average.dispose();
 * ```
 */
export function averagedModelArtifacts(checkpoint: Checkpoint): tf.io.ModelArtifacts {
  const model = 'model/';
  const averages = new Map<string, Uint8Array>();
  let offset = 0;
  for (const spec of checkpoint.weightSpecs) {
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * 4;
    if (spec.name.startsWith(PREFIX)) {
      averages.set(
        spec.name.slice(PREFIX.length),
        new Uint8Array(checkpoint.weightData, offset, bytes),
      );
    }
    offset += bytes;
  }
  if (averages.size === 0) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      'averagedModelArtifacts: the checkpoint holds no weight average (save it through WeightAverage.checkpointStore)',
    );
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  offset = 0;
  for (const spec of checkpoint.weightSpecs) {
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * 4;
    if (spec.name.startsWith(model)) {
      const name = spec.name.slice(model.length);
      specs.push({ ...spec, name });
      parts.push(averages.get(name) ?? new Uint8Array(checkpoint.weightData, offset, bytes));
    }
    offset += bytes;
  }
  return {
    ...(checkpoint.modelTopology === undefined
      ? {}
      : { modelTopology: checkpoint.modelTopology as object }),
    format: 'vae-model',
    generatedBy: '@vae/trainer',
    weightSpecs: specs,
    weightData: tf.io.concatenateArrayBuffers(parts.map((part) => part.slice().buffer)),
  };
}
