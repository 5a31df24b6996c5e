import type * as tf from '@tensorflow/tfjs-core';
import { fit } from './fit.js';
import type { FitOptions, FitResult, Trainable } from './fit-options.js';
import type { TrainingData } from './training-data.js';
import type { TrainingEvent } from './training-events.js';

/**
 * A running `fit`, as an async iterable of its events plus the final result.
 *
 * @example
 * ```ts
 * const run: TrainingRun = fitEvents(model, data, options);
 * for await (const event of run) console.log(event.type);
 * const result = await run.result;
 * ```
 */
export interface TrainingRun extends AsyncIterable<TrainingEvent> {
  /** Resolves with `fit`'s result (rejects with its error) once training ends. */
  readonly result: Promise<FitResult>;
}

/**
 * Starts {@link fit} and exposes its events as an async iterator (`for await`).
 * Training runs ahead of the consumer; events queue until read. Iteration ends when
 * training ends, and throws `fit`'s error if it failed. `options.onEvent` is still
 * called too. Iterate it once.
 *
 * @example
 * ```ts
 * const run = fitEvents(vae, mnist.train, { loss, epochs: 5, batchSize: 128 });
 * for await (const event of run) {
 *   if (event.type === 'epoch') console.log(`epoch ${event.epoch}: ${event.loss.toFixed(2)}`);
 * }
 * const { history } = await run.result;
 * ```
 */
export function fitEvents<B extends tf.TensorContainer = tf.Tensor>(
  model: Trainable,
  data: TrainingData<B> | tf.Tensor,
  options: FitOptions<B>,
): TrainingRun {
  const queue: TrainingEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const result = fit(model, data, {
    ...options,
    onEvent: async (event) => {
      queue.push(event);
      notify();
      await options.onEvent?.(event);
    },
  });
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  void settled.then(() => {
    done = true;
    notify();
  });
  return {
    result,
    async *[Symbol.asyncIterator]() {
      while (true) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
        } else if (done) {
          await result; // rethrows fit's error
          return;
        } else {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      }
    },
  };
}
