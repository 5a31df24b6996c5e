import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { wasmGatherRows } from './internal/gather-rows.js';

/**
 * What `fit` trains on: a number of examples and a way to build a batch from
 * example indices. Any object of this shape works (the `@vae/data` loaders satisfy
 * it without depending on this package).
 *
 * `getBatch(indices)` returns a NEW tensor (or any tensor container, e.g.
 * `{ x, y }`) holding the examples at `indices`, stacked on axis 0: for MNIST,
 * `[indices.length, 784]`. The trainer owns what it returns and disposes it after
 * the step; it may return a promise (to read from disk or the network).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit, type TrainingData } from '@vae/trainer';
 *
 * const images = tf.randomUniform([100, 4], 0, 1, 'float32', 1); // [100, 4]
 * const data: TrainingData = {
 *   size: 100,
 *   getBatch: (indices) => tf.gather(images, tf.tensor1d(indices as number[], 'int32')),
 * };
 * const w = tf.variable(tf.zeros([4]));
 * const result = await fit({ trainableVariables: [w] }, data, {
 *   loss: (x) => tf.mean(tf.square(tf.sub(x, w))),
 *   batchSize: 25,
 * });
 * console.log(result.steps); // -> 4
 * ```
 */
export interface TrainingData<B extends tf.TensorContainer = tf.Tensor> {
  /** Number of examples; indices passed to `getBatch` are in `[0, size)`. */
  readonly size: number;
  /**
   * A new batch of the examples at `indices`, in that order; the caller disposes
   * it. `fit` passes a {@link BatchContext}: a source that draws noise per batch
   * (dynamic binarization, dequantization) should draw it from `context.seed`
   * alone, so a resumed run gets the same batches.
   */
  getBatch(indices: readonly number[], context?: BatchContext): B | Promise<B>;
}

/**
 * What `fit` tells a data source about the batch it asks for.
 *
 * @example
 * ```ts
 * import type { BatchContext } from '@vae/trainer';
 * const context: BatchContext = { epoch: 0, step: 12, seed: 123456, training: true };
 * ```
 */
export interface BatchContext {
  /** The epoch (0-based). */
  epoch: number;
  /** Global step of the batch (for validation: the step training reached). */
  step: number;
  /** A 32-bit seed for this batch's noise, derived from `fit`'s seed, the epoch and the step. */
  seed: number;
  /** False for validation batches. */
  training: boolean;
}

/**
 * Wraps tensors with the same first dimension as {@link TrainingData}: a batch is
 * `tf.gather` of each along axis 0. Pass one tensor for a `tf.Tensor` batch, or a
 * record (`{ x, y }`) for a record of tensors. The tensors stay owned by the caller.
 *
 * @param tensors - One tensor, or a record of tensors, with the same first dimension.
 * @returns The data; its batches are new tensors (`fit` disposes them).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit, tensorData } from '@vae/trainer';
 *
 * const data = tensorData({ x: tf.randomNormal([100, 3]), y: tf.randomNormal([100, 1]) });
 * const w = tf.variable(tf.zeros([3, 1]));
 * const model = { trainableVariables: [w] };
 * const predict = (x: tf.Tensor) => tf.matMul(x, w);
 * await fit(model, data, { loss: ({ x, y }) => tf.losses.meanSquaredError(y!, predict(x!)) });
 * console.log(data.size); // -> 100
 * ```
 */
export function tensorData<T extends tf.Tensor | Record<string, tf.Tensor>>(
  tensors: T,
): TrainingData<T> {
  const entries: [string, tf.Tensor][] =
    tensors instanceof tf.Tensor ? [['', tensors]] : Object.entries(tensors);
  ensureArgument(entries.length > 0, () => 'tensorData: `tensors` must hold at least one tensor');
  const size = entries[0]![1].shape[0];
  ensureArgument(
    size !== undefined && entries.every(([, t]) => t.shape[0] === size),
    () =>
      `tensorData: every tensor needs the same first dimension, got shapes ${entries.map(([k, t]) => `${k || 'tensor'}: [${t.shape}]`).join(', ')}`,
  );
  return {
    size: size!,
    getBatch(indices) {
      return tf.tidy(() => {
        const index = tf.tensor1d(indices as number[], 'int32');
        // Valid indices: whole rows copied on wasm; anything else goes to tf.gather as before.
        const rows = allRows(indices, size!);
        const gather = (t: tf.Tensor) =>
          (rows ? wasmGatherRows(t, index) : undefined) ?? tf.gather(t, index);
        if (tensors instanceof tf.Tensor) return gather(tensors) as T;
        return Object.fromEntries(entries.map(([k, t]) => [k, gather(t)])) as T;
      });
    },
  };
}

/** Whether every index is an integer in [0, size): a row of the wrapped tensors. */
function allRows(indices: readonly number[], size: number): boolean {
  for (const index of indices) {
    if (!(Number.isInteger(index) && index >= 0 && index < size)) return false;
  }
  return true;
}
