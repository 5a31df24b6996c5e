import { ensureArgument } from '@vae/divergence';

/**
 * A learning rate as a function of the global step (0-based, counting batches
 * since the start of training, across resumes) and the epoch.
 *
 * @example
 * ```ts
 * const halveEveryEpoch: LearningRateSchedule = (_step, epoch) => 1e-3 * 0.5 ** epoch;
 * await fit(model, data, { loss, learningRate: halveEveryEpoch });
 * ```
 */
export type LearningRateSchedule = (step: number, epoch: number) => number;

/**
 * `initial * decayRate ** (step / decaySteps)`, continuous (or stepped with `staircase`).
 *
 * @example
 * ```ts
 * await fit(model, data, { loss, learningRate: exponentialDecay({ initial: 1e-3, decayRate: 0.5, decaySteps: 1000 }) });
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
 * @example
 * ```ts
 * const learningRate = cosineDecay({ initial: 1e-3, totalSteps: 10_000, warmupSteps: 500 });
 * learningRate(0, 0); // 0, rising to 1e-3 at step 500, down to 0 at step 10000
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
