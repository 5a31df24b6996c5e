import { ensureArgument } from '@vae/divergence';

/**
 * A learning rate as a function of the global step (0-based, counting batches
 * since the start of training, across resumes) and the epoch.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit, type LearningRateSchedule } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const data = tf.ones([64, 2]);
 * const loss = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, w)));
 * const halveEveryEpoch: LearningRateSchedule = (_step, epoch) => 1e-3 * 0.5 ** epoch;
 * await fit(model, data, { loss, learningRate: halveEveryEpoch, epochs: 2 });
 * console.log(halveEveryEpoch(0, 1)); // -> 0.0005
 * ```
 */
export type LearningRateSchedule = (step: number, epoch: number) => number;

/**
 * `initial * decayRate ** (step / decaySteps)`, continuous (or stepped with `staircase`).
 *
 * @param options - `initial` rate, `decayRate` and `decaySteps` (all positive), `staircase`.
 * @returns The schedule, for `fit`'s `learningRate`.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { exponentialDecay, fit } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const data = tf.ones([64, 2]);
 * const loss = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, w)));
 * const learningRate = exponentialDecay({ initial: 1e-3, decayRate: 0.5, decaySteps: 1000 });
 * await fit(model, data, { loss, learningRate });
 * console.log(learningRate(1000, 0)); // -> 0.0005
 * ```
 */
export function exponentialDecay(options: {
  initial: number;
  decayRate: number;
  decaySteps: number;
  staircase?: boolean;
}): LearningRateSchedule {
  const { initial, decayRate, decaySteps, staircase = false } = options;
  ensureArgument(
    initial > 0,
    () => `exponentialDecay: \`initial\` must be positive, got ${initial}`,
  );
  ensureArgument(
    decayRate > 0,
    () => `exponentialDecay: \`decayRate\` must be positive, got ${decayRate}`,
  );
  ensureArgument(
    decaySteps > 0,
    () => `exponentialDecay: \`decaySteps\` must be positive, got ${decaySteps}`,
  );
  return (step) => {
    const exponent = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
    return initial * decayRate ** exponent;
  };
}

/**
 * Linear warm-up from 0 over `warmupSteps`, then cosine decay from `initial` to
 * `minimum` at `totalSteps` (and `minimum` after).
 *
 * @param options - `initial` rate, `totalSteps`, `warmupSteps` (default 0) and `minimum` (default 0).
 * @returns The schedule, for `fit`'s `learningRate`.
 * @example
 * ```ts
 * import { cosineDecay } from '@vae/trainer';
 *
 * const learningRate = cosineDecay({ initial: 1e-3, totalSteps: 10_000, warmupSteps: 500 });
 * console.log(learningRate(0, 0)); // -> 0
 * console.log(learningRate(500, 0)); // -> 0.001
 * console.log(learningRate(10_000, 0)); // -> 0
 * ```
 */
export function cosineDecay(options: {
  initial: number;
  totalSteps: number;
  warmupSteps?: number;
  minimum?: number;
}): LearningRateSchedule {
  const { initial, totalSteps, warmupSteps = 0, minimum = 0 } = options;
  ensureArgument(initial > 0, () => `cosineDecay: \`initial\` must be positive, got ${initial}`);
  ensureArgument(
    totalSteps > warmupSteps && warmupSteps >= 0,
    () =>
      `cosineDecay: need 0 <= \`warmupSteps\` < \`totalSteps\`, got ${warmupSteps} and ${totalSteps}`,
  );
  return (step) => {
    if (step < warmupSteps) return (initial * step) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
    return minimum + 0.5 * (initial - minimum) * (1 + Math.cos(Math.PI * progress));
  };
}

/**
 * Linear warm-up from 0 over `warmupSteps`, then `initial` throughout: a
 * constant rate whose first steps are small. Adam's first updates move every
 * weight by about the rate whatever its gradient's size, which can silence
 * ReLU units or collapse a VAE's posterior before training finds its footing.
 *
 * @param options - `initial` rate (positive) and `warmupSteps` (a whole number >= 0; 0: none).
 * @returns The schedule, for `fit`'s `learningRate`.
 * @example
 * ```ts
 * import { constantWithWarmup } from '@vae/trainer';
 *
 * const learningRate = constantWithWarmup({ initial: 1e-3, warmupSteps: 200 });
 * console.log(learningRate(0, 0)); // -> 0
 * console.log(learningRate(100, 0)); // -> 0.0005
 * console.log(learningRate(5000, 3)); // -> 0.001
 * ```
 */
export function constantWithWarmup(options: {
  initial: number;
  warmupSteps: number;
}): LearningRateSchedule {
  const { initial, warmupSteps } = options;
  ensureArgument(
    initial > 0,
    () => `constantWithWarmup: \`initial\` must be positive, got ${initial}`,
  );
  ensureArgument(
    Number.isInteger(warmupSteps) && warmupSteps >= 0,
    () => `constantWithWarmup: \`warmupSteps\` must be a whole number >= 0, got ${warmupSteps}`,
  );
  return (step) => (step < warmupSteps ? (initial * step) / warmupSteps : initial);
}
