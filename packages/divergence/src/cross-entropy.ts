import * as tf from '@tensorflow/tfjs-core';
import type { DiscreteOptions } from './discrete-options.js';
import { preparePair } from './internal/discrete.js';
import { eitherPositive } from './internal/masks.js';
import type { TensorInput } from './internal/validate.js';

function crossEntropy_(p: TensorInput, q: TensorInput, options: DiscreteOptions = {}): tf.Tensor {
  const terms = preparePair('crossEntropy', { p, q }, options);
  // Only p = q = 0 is 0 * -Infinity; substitute log q = 0 there. Elsewhere the
  // gradient in p is the honest -log q.
  const defined = eitherPositive(terms.p.probs, terms.q.probs);
  const logQ = tf.where(defined, terms.q.logProbs, 0);
  return tf.neg(tf.sum(tf.mul(terms.p.probs, logQ), terms.axis));
}

const crossEntropyOp = tf.op({ crossEntropy_ });

/**
 * Cross-entropy `H(p, q) = -sum p log q` between discrete distributions, in
 * nats, reduced over the event axis. `H(p, q) = H(p) + KL(p || q)`; with
 * one-hot `p` it is the classification loss. Terms with `p = 0` contribute 0;
 * where `p > 0 = q` the result is `+Infinity`.
 *
 * @param p - Probabilities (or logits with `{ logits: true }`), shape `[...batch, k]`.
 * @param q - Same as `p`, any shape broadcastable with it.
 * @param options - Event `axis` (default -1), `logits`, `validateArgs`.
 * @returns Cross-entropy, shape `[...batch]`. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { crossEntropy } from '@vae/divergence';
 *
 * const target = tf.tensor([[0, 1, 0]]); // one-hot
 * const logits = tf.tensor([[1.2, 3.4, -0.5]]);
 * // The classification loss:
 * crossEntropy(target, tf.softmax(logits)).print(); // -> [0.1232]
 * crossEntropy(tf.tensor([0.5, 0.5]), tf.tensor([0.9, 0.1])).print(); // -> 1.2040
 * ```
 */
export function crossEntropy(
  p: TensorInput,
  q: TensorInput,
  options: DiscreteOptions = {},
): tf.Tensor {
  return crossEntropyOp(p, q, options);
}
