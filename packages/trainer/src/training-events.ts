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
 * const { stopped } = await fit(model, data, options);
 * if (stopped?.reason === 'early-stopping') console.log(stopped.message);
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
 * await fit(model, data, {
 *   loss,
 *   onEvent(event) {
 *     if (event.type === 'batch') bar.update(event.step, { loss: event.loss, speed: event.samplesPerSecond });
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
