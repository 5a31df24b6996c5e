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
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fitEvents, type TrainingRun } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const data = tf.ones([64, 2]);
 * const loss = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, w)));
 * const run: TrainingRun = fitEvents(model, data, { loss, batchSize: 32 });
 * for await (const event of run) console.log(event.type);
 * const result = await run.result;
 * console.log(result.steps); // -> 2
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
 * @param model - Exposes `trainableVariables`, as for {@link fit}.
 * @param data - `{ size, getBatch(indices) }` or a tensor `[n, ...]`, as for {@link fit}.
 * @param options - As for {@link fit}.
 * @returns The run: iterate it for the events, await `result` for `fit`'s result.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { negativeElboLoss } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * import { fitEvents } from '@vae/trainer';
 *
 * const vae = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const train = tf.round(tf.randomUniform([64, 8], 0, 1, 'float32', 1)); // binary data
 * const loss = (x: tf.Tensor, { seed }: { seed: number }) => negativeElboLoss(vae, x, { seed });
 * const run = fitEvents(vae, train, { loss, epochs: 3, batchSize: 16 });
 * for await (const event of run) {
 *   if (event.type === 'epoch') console.log(`epoch ${event.epoch}: ${event.loss.toFixed(2)}`);
 * }
 * const { history } = await run.result;
 * console.log(history.length); // -> 3
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
