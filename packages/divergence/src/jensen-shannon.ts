import * as tf from '@tensorflow/tfjs-core';
import type { DiscreteOptions } from './discrete-options.js';
import { type DiscreteTerms, preparePair } from './internal/discrete.js';
import { isPositive, safeLog } from './internal/masks.js';
import type { TensorInput } from './internal/validate.js';

/** sum p (log p - log m) over the support of p, with safe-where masking. */
function klToMixture(p: DiscreteTerms, logM: tf.Tensor, axis: number): tf.Tensor {
  const support = isPositive(p.probs);
  const logRatio = tf.sub(tf.where(support, p.logProbs, 0), tf.where(support, logM, 0));
  return tf.sum(tf.where(support, tf.mul(p.probs, logRatio), 0), axis);
}

function jensenShannon_(p: TensorInput, q: TensorInput, options: DiscreteOptions = {}): tf.Tensor {
  const terms = preparePair('jensenShannon', { p, q }, options);
  const logM = safeLog(tf.mul(0.5, tf.add(terms.p.probs, terms.q.probs)));
  return tf.mul(
    0.5,
    tf.add(klToMixture(terms.p, logM, terms.axis), klToMixture(terms.q, logM, terms.axis)),
  );
}

const jensenShannonOp = tf.op({ jensenShannon_ });

/**
 * Jensen-Shannon divergence `JS(p, q) = KL(p || m) / 2 + KL(q || m) / 2` with
 * `m = (p + q) / 2`, in nats, reduced over the event axis. Symmetric, always
 * finite, between 0 and `ln 2`. (Its square root is a metric.)
 *
 * @param p - Probabilities (or logits with `{ logits: true }`), shape `[...batch, k]`.
 * @param q - Same as `p`, any shape broadcastable with it.
 * @param options - Event `axis` (default -1), `logits`, `validateArgs`.
 * @returns JS divergence, shape `[...batch]`. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { jensenShannon } from '@vae/divergence';
 *
 * // Disjoint supports: ln 2, the largest value
 * jensenShannon(tf.tensor([1, 0]), tf.tensor([0, 1])).print(); // -> 0.6931
 * jensenShannon(tf.tensor([0.5, 0.5]), tf.tensor([0.9, 0.1])).print(); // -> 0.1017
 * ```
 */
export function jensenShannon(
  p: TensorInput,
  q: TensorInput,
  options: DiscreteOptions = {},
): tf.Tensor {
  return jensenShannonOp(p, q, options);
}
