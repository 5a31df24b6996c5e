import * as tf from '@tensorflow/tfjs-core';
import type { DiscreteOptions } from './discrete-options.js';
import { prepareOne } from './internal/discrete.js';
import { isPositive } from './internal/masks.js';
import type { TensorInput } from './internal/validate.js';

function entropy_(p: TensorInput, options: DiscreteOptions = {}): tf.Tensor {
  const terms = prepareOne('entropy', p, options);
  const support = isPositive(terms.probs);
  const logP = tf.where(support, terms.logProbs, 0);
  const pointwise = tf.where(support, tf.mul(terms.probs, logP), 0);
  return tf.neg(tf.sum(pointwise, terms.axis));
}

const entropyOp = tf.op({ entropy_ });

/**
 * Shannon entropy `H(p) = -sum p log p` of a discrete distribution, in nats,
 * reduced over the event axis (0 log 0 = 0).
 *
 * @param p - Probabilities (or logits with `{ logits: true }`), shape `[...batch, k]`.
 * @param options - Event `axis` (default -1), `logits`, `validateArgs`.
 * @returns Entropy, shape `[...batch]`, between 0 and `log k`. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { entropy } from '@vae/divergence';
 *
 * // ln 2, then [ln 4]:
 * entropy(tf.tensor([0.5, 0.5])).print(); // -> 0.6931
 * entropy(tf.tensor([[0, 0, 0, 0]]), { logits: true }).print(); // -> [1.3863]
 * ```
 */
export function entropy(p: TensorInput, options: DiscreteOptions = {}): tf.Tensor {
  return entropyOp(p, options);
}
