import * as tf from '@tensorflow/tfjs-core';
import type { Checkpoint } from '../checkpoint.js';

/** Checkpoint weight names of a `WeightAverage`: `average/<parameter>` and the update count. */
export const AVERAGE_PREFIX = 'average/';
export const AVERAGE_UPDATES = 'average-updates';
const PREFIX = AVERAGE_PREFIX;
const UPDATES = AVERAGE_UPDATES;

/** The average's tensors of a checkpoint by name (`average/...` and the count); the caller disposes them. */
export function decodeAverage(checkpoint: Checkpoint): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  let offset = 0;
  for (const spec of checkpoint.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.name.startsWith(PREFIX) || spec.name === UPDATES) {
      const bytes = checkpoint.weightData.slice(offset, offset + size * 4);
      const values = spec.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
      out.set(
        spec.name,
        tf.tensor(values, spec.shape, spec.dtype === 'int32' ? 'int32' : 'float32'),
      );
    }
    offset += size * 4;
  }
  return out;
}
