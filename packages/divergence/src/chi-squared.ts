import * as tf from '@tensorflow/tfjs-core';
import type { DiscreteOptions } from './discrete-options.js';
import { preparePair } from './internal/discrete.js';
import { isAboveMinusInfinity, isPositive } from './internal/masks.js';
import type { TensorInput } from './internal/validate.js';

function chiSquared_(p: TensorInput, q: TensorInput, options: DiscreteOptions = {}): tf.Tensor {
  const terms = preparePair('chiSquared', { p, q }, options);
  // (p - q)^2 / q = q (p / q - 1)^2, with the ratio from log-probabilities so
  // that it stays exact where q underflows in the logits form.
  const qSupport = isAboveMinusInfinity(terms.q.logProbs);
  const logQ = tf.where(qSupport, terms.q.logProbs, 0);
  const ratio = tf.exp(tf.sub(terms.p.logProbs, logQ));
  const finite = tf.mul(tf.exp(logQ), tf.square(tf.sub(ratio, 1)));
  const outside = tf.where(isPositive(terms.p.probs), Number.POSITIVE_INFINITY, 0);
  return tf.sum(tf.where(qSupport, finite, outside), terms.axis);
}

const chiSquaredOp = tf.op({ chiSquared_ });

/**
 * Pearson chi-squared divergence `chi^2(p || q) = sum (p - q)^2 / q
 * = sum p^2 / q - 1`, reduced over the event axis. Not symmetric; 0 iff
 * `p = q`; `+Infinity` where `p > 0 = q`. It bounds KL: `KL(p || q) <= ln(1 + chi^2)`,
 * and equals `exp(renyi(p, q, { alpha: 2 })) - 1`.
 *
 * @param p - Probabilities (or logits with `{ logits: true }`), shape `[...batch, k]`.
 * @param q - Same as `p`, any shape broadcastable with it.
 * @param options - Event `axis` (default -1), `logits`, `validateArgs`.
 * @returns Chi-squared divergence, shape `[...batch]`. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { chiSquared } from '@vae/divergence';
 *
 * chiSquared(tf.tensor([0.5, 0.5]), tf.tensor([0.25, 0.75])).print(); // -> 0.3333
 * ```
 */
export function chiSquared(
  p: TensorInput,
  q: TensorInput,
  options: DiscreteOptions = {},
): tf.Tensor {
  return chiSquaredOp(p, q, options);
}
