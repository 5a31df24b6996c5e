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
      /** After every optimizer step. */
      type: 'batch';
      /** The epoch (0-based). */
      epoch: number;
      /** Batch index within the epoch. */
      batch: number;
      /** The global step after this batch (batches since the start, across resumes). */
      step: number;
      /** The batch's loss. */
      loss: number;
      /** The metrics the loss returned for this batch (see `LossResult`); `{}` when none. */
      metrics: Record<string, number>;
      /** Global L2 norm of the gradients, before clipping. */
      gradientNorm: number;
      /** The learning rate the step used. */
      learningRate: number;
      /** Examples in this batch. */
      size: number;
      /** This batch's examples divided by the time since the previous batch ended. */
      samplesPerSecond: number;
    }
  | {
      /** After every epoch, validation included. */
      type: 'epoch';
      /** The epoch that ended (0-based). */
      epoch: number;
      /** The global step at its end. */
      step: number;
      /** Mean training loss over the epoch's examples. */
      loss: number;
      /** Mean validation loss, when `validationData` was given. */
      validationLoss?: number;
      /** Means of the loss's metrics over the epoch's examples. */
      metrics?: Record<string, number>;
      /** Means of the metrics over the validation data. */
      validationMetrics?: Record<string, number>;
      /** Training examples per second over the epoch (validation excluded). */
      samplesPerSecond: number;
      /** Wall-clock seconds the epoch took, validation included. */
      seconds: number;
    }
  | {
      /** After each checkpoint is saved. */
      type: 'checkpoint';
      /** The epoch in progress when it was saved. */
      epoch: number;
      /** The global step it holds. */
      step: number;
    }
  | {
      /** When training stops before running every epoch. */
      type: 'stop';
      /** Why it stopped. */
      reason: StopReason;
      /** The epoch in progress. */
      epoch: number;
      /** The global step reached. */
      step: number;
      /** What happened, for people. */
      message: string;
    };
