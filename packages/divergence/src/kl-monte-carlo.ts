import * as tf from '@tensorflow/tfjs-core';
import {
  broadcastShapes,
  broadcastTo,
  checkFinite,
  resolveAxis,
  type TensorInput,
  toFloatTensor,
} from './internal/validate.js';

/** Options of {@link klMonteCarlo}. */
export interface KlMonteCarloOptions {
  /** The sample axis to average over; negative counts from the end. Default `0`. */
  axis?: number;
  /**
   * Check shapes and values: no NaN, `logP` finite, `logQ` finite or
   * `-Infinity` (reads data back). Default `true`.
   */
  validateArgs?: boolean;
}

function klMonteCarlo_(
  logP: TensorInput,
  logQ: TensorInput,
  options: KlMonteCarloOptions = {},
): tf.Tensor {
  const fn = 'klMonteCarlo';
  const a = toFloatTensor({ fn, name: 'logP' }, logP);
  const b = toFloatTensor({ fn, name: 'logQ' }, logQ);
  const shape = broadcastShapes(fn, [
    ['logP', a.shape],
    ['logQ', b.shape],
  ]);
  const axis = resolveAxis(fn, options.axis ?? 0, shape.length);
  if (options.validateArgs ?? true) {
    checkFinite({ fn, name: 'logP' }, a);
    checkFinite({ fn, name: 'logQ' }, b, { allowMinusInfinity: true });
  }
  return tf.mean(broadcastTo(tf.sub(a, b), shape), axis);
}

const klMonteCarloOp = tf.op({ klMonteCarlo_ });

/**
 * Monte Carlo estimate of `KL(p || q) = E_p[log p(x) - log q(x)]`: the mean
 * of `logP - logQ` over the sample axis, where both are evaluated at the same
 * samples `x ~ p`. Unbiased, with standard error `std(logP - logQ) / sqrt(n)`;
 * differentiable (with reparameterized samples it gives the pathwise gradient).
 * Use it where no closed form exists; the samples must come from `p`, the
 * first argument.
 *
 * @param logP - `log p(x_i)`, shape `[n, ...batch]` (samples on `axis`, default 0).
 * @param logQ - `log q(x_i)` at the same samples, broadcastable with `logP`.
 * @param options - Sample `axis` (default 0), `validateArgs`.
 * @returns The estimate, shape `[...batch]`. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { klMonteCarlo } from '@vae/divergence';
 *
 * // log-density of N(loc, scale^2) at x
 * const logNormal = (x: tf.Tensor, loc: number, scale: number) =>
 *   tf.sub(
 *     tf.mul(-0.5, tf.square(tf.div(tf.sub(x, loc), scale))),
 *     Math.log(scale * Math.sqrt(2 * Math.PI)),
 *   );
 *
 * // KL(N(0, 1) || N(1, 2^2)) from 10 000 samples of the first: close to the exact 0.4431.
 * const x = tf.randomNormal([10_000], 0, 1, 'float32', 0.5); // samples of p, seeded
 * // Its standard error is about 0.005:
 * klMonteCarlo(logNormal(x, 0, 1), logNormal(x, 1, 2)).print(); // -> 0.4479
 * ```
 */
export function klMonteCarlo(
  logP: TensorInput,
  logQ: TensorInput,
  options: KlMonteCarloOptions = {},
): tf.Tensor {
  return klMonteCarloOp(logP, logQ, options);
}
