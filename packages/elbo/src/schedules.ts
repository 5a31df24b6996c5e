import { ensureArgument } from '@vae/divergence';

/** The KL weight beta as a function of the training step (0-based). */
export type BetaSchedule = (step: number) => number;

/**
 * KL warm-up (Bowman et al. 2016; Sønderby et al. 2016): beta goes linearly
 * from `start` (default 0) to `end` (default 1) over `steps` steps, then stays at `end`.
 *
 * @example
 * ```ts
 * const beta = linearWarmup({ steps: 10_000 });
 * beta(0); // 0
 * beta(5_000); // 0.5
 * ```
 */
export function linearWarmup(options: {
  steps: number;
  start?: number;
  end?: number;
}): BetaSchedule {
  const { steps, start = 0, end = 1 } = options;
  ensureArgument(
    Number.isFinite(steps) && steps > 0,
    () => `linearWarmup: \`steps\` must be positive, got ${steps}`,
  );
  return (step) => start + (end - start) * Math.min(Math.max(step / steps, 0), 1);
}

/**
 * Cyclical KL annealing (Fu et al. 2019): each `period` steps, beta rises
 * linearly from 0 to `max` (default 1) during the first `rampFraction`
 * (default 0.5) of the period and stays at `max` for the rest; after `cycles`
 * periods (default: forever) it stays at `max`.
 *
 * @example
 * ```ts
 * const beta = cyclical({ period: 1000, cycles: 4 });
 * beta(250); // 0.5
 * beta(750); // 1
 * beta(1000); // 0 (a new cycle)
 * ```
 */
export function cyclical(options: {
  period: number;
  rampFraction?: number;
  cycles?: number;
  max?: number;
}): BetaSchedule {
  const { period, rampFraction = 0.5, cycles = Number.POSITIVE_INFINITY, max = 1 } = options;
  ensureArgument(
    Number.isFinite(period) && period > 0,
    () => `cyclical: \`period\` must be positive, got ${period}`,
  );
  ensureArgument(
    rampFraction > 0 && rampFraction <= 1,
    () => `cyclical: \`rampFraction\` must be in (0, 1], got ${rampFraction}`,
  );
  return (step) => {
    if (step >= period * cycles) return max;
    const position = (step % period) / period;
    return max * Math.min(position / rampFraction, 1);
  };
}

/**
 * beta-VAE (Higgins et al. 2017): a constant KL weight (beta > 1 favours disentangling).
 *
 * @example
 * ```ts
 * const beta = constantBeta(4);
 * negativeElboLoss(model, x, { beta: beta(step) });
 * ```
 */
export function constantBeta(beta: number): BetaSchedule {
  ensureArgument(
    Number.isFinite(beta) && beta >= 0,
    () => `constantBeta: \`beta\` must be >= 0, got ${beta}`,
  );
  return () => beta;
}
