import { ensureArgument } from '@vae/divergence';

/** The KL weight beta as a function of the training step (0-based). */
export type BetaSchedule = (step: number) => number;

/**
 * KL warm-up (Bowman et al. 2016; Sønderby et al. 2016): beta goes linearly
 * from `start` (default 0) to `end` (default 1) over `steps` steps, then stays at `end`.
 *
 * @param options - `steps` of the ramp (positive), `start` and `end` values of beta.
 * @returns The schedule, a function of the 0-based step.
 * @example
 * ```ts
 * import { linearWarmup } from '@vae/elbo';
 * const beta = linearWarmup({ steps: 10_000 });
 * console.log(beta(0)); // -> 0
 * console.log(beta(5_000)); // -> 0.5
 * console.log(beta(20_000)); // -> 1
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
 * @param options - `period` in steps (positive), `rampFraction` in (0, 1],
 *   `cycles` before beta stays at `max`, and `max`.
 * @returns The schedule, a function of the 0-based step.
 * @example
 * ```ts
 * import { cyclical } from '@vae/elbo';
 * const beta = cyclical({ period: 1000, cycles: 4 });
 * console.log(beta(250)); // -> 0.5
 * console.log(beta(750)); // -> 1
 * console.log(beta(1000)); // -> 0
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
 * @param beta - The KL weight, at least 0.
 * @returns The schedule, `beta` at every step.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { constantBeta, negativeElboLoss } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 *
 * const model = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const x = tf.round(tf.randomUniform([4, 8], 0, 1, 'float32', 1));
 * const beta = constantBeta(4);
 * const step = 0;
 * const loss = negativeElboLoss(model, x, { beta: beta(step), seed: 2 });
 * console.log(loss.dataSync()[0]! > 0); // -> true
 * ```
 */
export function constantBeta(beta: number): BetaSchedule {
  ensureArgument(
    Number.isFinite(beta) && beta >= 0,
    () => `constantBeta: \`beta\` must be >= 0, got ${beta}`,
  );
  return () => beta;
}
