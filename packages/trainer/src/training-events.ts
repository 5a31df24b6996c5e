/**
 * Why training stopped before running every epoch.
 *
 * - `'aborted'`: the `signal` fired; stopped after the current batch.
 * - `'early-stopping'`: the monitored loss did not improve for `patience` epochs.
 * - `'diverged'`: the loss or a gradient was NaN or infinite (with `nanGuard: 'stop'`).
 * - `'budget'`: the wall-clock budget of `fitWithinBudget` was spent (a checkpoint was written).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const data = tf.ones([64, 2]);
 * const loss = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, w)));
 * const options = { loss, epochs: 20, earlyStopping: { patience: 2, minDelta: 1 } };
 * const { stopped } = await fit(model, data, options);
 * if (stopped?.reason === 'early-stopping') console.log(stopped.reason); // -> early-stopping
 * ```
 */
export type StopReason = 'aborted' | 'early-stopping' | 'diverged' | 'budget';

/**
 * Progress of a training run, in order: a `'batch'` event after every step, an
 * `'epoch'` event after every epoch (with the validation loss), `'checkpoint'`
 * after each save, and `'stop'` when training stops early. Epochs are 0-based;
 * `step` is the global step (batches since the start, across resumes).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const data = tf.ones([64, 2]);
 * const loss = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, w)));
 * await fit(model, data, {
 *   loss,
 *   batchSize: 32,
 *   onEvent(event) {
 *     if (event.type === 'batch') console.log(event.step, event.loss.toFixed(3), event.samplesPerSecond > 0);
 *   },
 * });
 * ```
 */
export type TrainingEvent =
  | {
      type: 'batch';
      epoch: number;
      /** Batch index within the epoch. */
      batch: number;
      step: number;
      loss: number;
      /** The metrics the loss returned for this batch (see `LossResult`); `{}` when none. */
      metrics: Record<string, number>;
      gradientNorm: number;
      learningRate: number;
      /** Examples in this batch. */
      size: number;
      /** This batch's examples divided by the time since the previous batch ended. */
      samplesPerSecond: number;
    }
  | {
      type: 'epoch';
      epoch: number;
      step: number;
      loss: number;
      validationLoss?: number;
      /** Means of the loss's metrics over the epoch's examples. */
      metrics?: Record<string, number>;
      /** Means of the metrics over the validation data. */
      validationMetrics?: Record<string, number>;
      /** Training examples per second over the epoch (validation excluded). */
      samplesPerSecond: number;
      seconds: number;
    }
  | { type: 'checkpoint'; epoch: number; step: number }
  | { type: 'stop'; reason: StopReason; epoch: number; step: number; message: string };
