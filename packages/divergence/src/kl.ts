import * as tf from '@tensorflow/tfjs-core';
import type { DiscreteOptions } from './discrete-options.js';
import { preparePair } from './internal/discrete.js';
import { isPositive } from './internal/masks.js';
import type { TensorInput } from './internal/validate.js';

function kl_(p: TensorInput, q: TensorInput, options: DiscreteOptions = {}): tf.Tensor {
  const terms = preparePair('kl', { p, q }, options);
  const support = isPositive(terms.p.probs);
  // Safe where: masked entries see 0 - 0, so neither value nor gradient is NaN.
  const logP = tf.where(support, terms.p.logProbs, 0);
  const logQ = tf.where(support, terms.q.logProbs, 0);
  const pointwise = tf.where(support, tf.mul(terms.p.probs, tf.sub(logP, logQ)), 0);
  return tf.sum(pointwise, terms.axis);
}

const klOp = tf.op({ kl_ });

/**
 * Kullback-Leibler divergence `KL(p || q) = sum p log(p / q)` between discrete
 * distributions, reduced over the event axis.
 *
 * Argument order is the direction: `kl(p, q)` is the forward KL (mean-seeking:
 * `q` is punished where `p` has mass it misses), `kl(q, p)` the reverse KL
 * (mode-seeking). Terms with `p = 0` contribute 0 (0 log 0 = 0); where
 * `p > 0 = q` the result is `+Infinity`. Differentiable in both arguments,
 * with finite gradients at zero probabilities.
 *
 * @param p - Probabilities (or logits with `{ logits: true }`), shape `[...batch, k]`.
 * @param q - Same as `p`, any shape broadcastable with it.
 * @param options - Event `axis` (default -1), `logits`, `validateArgs`.
 * @returns KL in nats, shape `[...batch]`. The caller owns it; inputs are not disposed.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { kl } from '@vae/divergence';
 *
 * const p = tf.tensor([0.5, 0.5, 0]);
 * const q = tf.tensor([0.25, 0.25, 0.5]);
 * // ln 2:
 * kl(p, q).print(); // -> 0.6931
 * // Infinite: q has mass where p has none.
 * kl(q, p).print(); // -> Infinity
 * // Logits of a batch of one, [1, 3]:
 * kl(tf.tensor([[2, 0, -1]]), tf.tensor([[0, 0, 0]]), { logits: true }).print(); // -> [0.5743]
 * ```
 */
export function kl(p: TensorInput, q: TensorInput, options: DiscreteOptions = {}): tf.Tensor {
  return klOp(p, q, options);
}
