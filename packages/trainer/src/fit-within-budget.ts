import type * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { fit } from './fit.js';
import type { FitOptions, FitResult, Trainable } from './fit-options.js';
import type { TrainingData } from './training-data.js';
import type { TrainingEvent } from './training-events.js';

/**
 * Options of {@link fitWithinBudget}: `fit`'s, plus the wall-clock budget.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { BudgetFitOptions } from '@vae/trainer';
 * const w = tf.variable(tf.zeros([2]));
 * const options: BudgetFitOptions = { loss: (x) => tf.mean(tf.square(tf.sub(x, w))), epochs: 1000, budgetSeconds: 2 * 3600 };
 * ```
 */
export interface BudgetFitOptions<B extends tf.TensorContainer = tf.Tensor> extends FitOptions<B> {
  /**
   * Seconds of wall-clock time this call may train, counted from the call: when
   * they are spent, training stops after the current batch, writes a checkpoint
   * (when `checkpoint` is set) and reports `stopped.reason === 'budget'`.
   */
  budgetSeconds: number;
}

/**
 * `fit` that ends cleanly at a wall-clock budget: after `budgetSeconds` it stops
 * after the batch in progress, writes a checkpoint (when `checkpoint` is set:
 * running the same call again resumes from it) and says so: the `'stop'` event
 * and the result have `reason: 'budget'` and a message with the budget and the
 * time spent. The deadline is noticed when `fit` yields to the event loop
 * (after the first batch 25 ms past the last yield by default: `yieldIntervalMs`,
 * `yieldEvery`); a validation pass at the end of an
 * epoch in progress at the deadline still runs. Epochs run up to `epochs` as
 * usual, so set `epochs` high to train for the whole budget. The caller's
 * `signal` still stops the run (as `'aborted'`).
 *
 * @param model What `fit` trains.
 * @param data What `fit` trains on.
 * @param options `fit`'s options and `budgetSeconds` (positive).
 * @returns `fit`'s result, with `stopped: { reason: 'budget', message }` when the budget ended it.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fitWithinBudget, memoryCheckpointStore } from '@vae/trainer';
 * const w = tf.variable(tf.zeros([2]));
 * const result = await fitWithinBudget({ trainableVariables: [w] }, tf.ones([64, 2]), {
 *   loss: (x) => tf.mean(tf.square(tf.sub(x, w))),
 *   epochs: 1_000_000,
 *   batchSize: 8,
 *   budgetSeconds: 1,
 *   checkpoint: { store: memoryCheckpointStore() },
 * });
 * console.log(result.stopped?.reason); // -> budget
 * ```
 */
export async function fitWithinBudget<B extends tf.TensorContainer = tf.Tensor>(
  model: Trainable,
  data: TrainingData<B> | tf.Tensor,
  options: BudgetFitOptions<B>,
): Promise<FitResult> {
  const { budgetSeconds, signal, onEvent, ...rest } = options;
  ensureArgument(
    Number.isFinite(budgetSeconds) && budgetSeconds > 0,
    () => `fitWithinBudget: \`budgetSeconds\` must be a positive number, got ${budgetSeconds}`,
  );
  const start = performance.now();
  const controller = new AbortController();
  let spent = false;
  const timer = setTimeout(() => {
    spent = true;
    controller.abort();
  }, budgetSeconds * 1000);
  const forward = () => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', forward, { once: true });
  const byBudget = () => spent && signal?.aborted !== true;
  const message = (event: { epoch: number; step: number }) =>
    `fitWithinBudget: stopped at the time budget of ${budgetSeconds} s after ${((performance.now() - start) / 1000).toFixed(1)} s, at epoch ${event.epoch}, step ${event.step}${options.checkpoint === undefined ? '' : '; a checkpoint was written'}`;
  let stopMessage: string | undefined;
  const relay = async (event: TrainingEvent) => {
    if (event.type === 'stop' && event.reason === 'aborted' && byBudget()) {
      stopMessage = message(event);
      await onEvent?.({ ...event, reason: 'budget', message: stopMessage });
      return;
    }
    await onEvent?.(event);
  };
  try {
    const result = await fit(model, data, { ...rest, signal: controller.signal, onEvent: relay });
    if (result.stopped?.reason === 'aborted' && byBudget()) {
      return {
        ...result,
        stopped: {
          reason: 'budget',
          message: stopMessage ?? message({ epoch: result.epochs, step: result.steps }),
        },
      };
    }
    return result;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
}
