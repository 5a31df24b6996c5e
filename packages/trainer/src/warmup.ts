import { ensureArgument } from '@vae/divergence';
import type { LearningRateSchedule } from './learning-rate.js';

/**
 * A linear learning-rate warm-up in front of any schedule (or a constant rate):
 * the rate is `schedule(step, epoch) * min(1, (step + 1) / steps)`, so the first
 * step uses 1/steps of it and step `steps - 1` onwards the schedule itself (which
 * keeps counting from step 0: a decay is not delayed by the warm-up).
 *
 * @param schedule A {@link LearningRateSchedule} (e.g. `exponentialDecay(...)`) or a constant rate.
 * @param options `steps`: the length of the warm-up (a positive integer).
 * @returns The warmed-up schedule, for `fit`'s `learningRate`.
 * @example
 * ```ts
 * import { exponentialDecay, withWarmup } from '@vae/trainer';
 * const learningRate = withWarmup(exponentialDecay({ initial: 1e-3, decayRate: 0.5, decaySteps: 10_000 }), { steps: 1000 });
 * // 1/1000 of the rate at step 0, then the decayed rate itself: 1e-3 * 0.5^(999 / 10_000)
 * console.log(learningRate(0, 0), learningRate(999, 0)); // -> 1.0e-6 9.33e-4
 * ```
 */
export function withWarmup(
  schedule: LearningRateSchedule | number,
  options: { steps: number },
): LearningRateSchedule {
  const { steps } = options;
  ensureArgument(
    Number.isInteger(steps) && steps > 0,
    () => `withWarmup: \`steps\` must be a positive integer, got ${steps}`,
  );
  ensureArgument(
    typeof schedule === 'function' || (Number.isFinite(schedule) && schedule > 0),
    () => `withWarmup: \`schedule\` must be a schedule or a positive rate, got ${String(schedule)}`,
  );
  const base: LearningRateSchedule = typeof schedule === 'number' ? () => schedule : schedule;
  return (step, epoch) => base(step, epoch) * Math.min(1, (step + 1) / steps);
}
