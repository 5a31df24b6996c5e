import * as tf from '@tensorflow/tfjs-core';
import type { DiscreteOptions } from './discrete-options.js';
import { preparePair } from './internal/discrete.js';
import type { TensorInput } from './internal/validate.js';

function totalVariation_(p: TensorInput, q: TensorInput, options: DiscreteOptions = {}): tf.Tensor {
  const terms = preparePair('totalVariation', { p, q }, options);
  return tf.mul(0.5, tf.sum(tf.abs(tf.sub(terms.p.probs, terms.q.probs)), terms.axis));
}

const totalVariationOp = tf.op({ totalVariation_ });

/**
 * Total variation distance `TV(p, q) = 1/2 sum |p - q|`, the largest
 * difference in probability the two give to any event; reduced over the event
 * axis. Symmetric, between 0 and 1.
 *
 * @param p - Probabilities (or logits with `{ logits: true }`), shape `[...batch, k]`.
 * @param q - Same as `p`, any shape broadcastable with it.
 * @param options - Event `axis` (default -1), `logits`, `validateArgs`.
 * @returns TV distance, shape `[...batch]`. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { totalVariation } from '@vae/divergence';
 *
 * totalVariation(tf.tensor([0.5, 0.5, 0]), tf.tensor([0.25, 0.25, 0.5])).print(); // -> 0.5
 * ```
 */
export function totalVariation(
  p: TensorInput,
  q: TensorInput,
  options: DiscreteOptions = {},
): tf.Tensor {
  return totalVariationOp(p, q, options);
}
