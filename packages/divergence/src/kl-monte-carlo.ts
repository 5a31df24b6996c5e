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
 * const p = new Normal({ loc: 0, scale: 1 });   // from @vae/distributions
 * const q = new Normal({ loc: 1, scale: 2 });
 * const x = p.sample([10_000]);                 // [10000]
 * klMonteCarlo(p.logProb(x), q.logProb(x)).print(); // ~0.443
 * ```
 */
export const klMonteCarlo = tf.op({ klMonteCarlo_ });
