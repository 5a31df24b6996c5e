import * as tf from '@tensorflow/tfjs-core';
import type { DiscreteOptions } from './discrete-options.js';
import { type DiscreteTerms, preparePair } from './internal/discrete.js';
import { safeSqrt } from './internal/masks.js';
import type { TensorInput } from './internal/validate.js';

function rootProbabilities(terms: DiscreteTerms, logits: boolean): tf.Tensor {
  // From logits, sqrt p = exp(log p / 2) is exact and stable; from
  // probabilities, a safe sqrt keeps the gradient at p = 0 finite.
  return logits ? tf.exp(tf.mul(0.5, terms.logProbs)) : safeSqrt(terms.probs);
}

function hellinger_(p: TensorInput, q: TensorInput, options: DiscreteOptions = {}): tf.Tensor {
  const terms = preparePair('hellinger', { p, q }, options);
  const logits = options.logits ?? false;
  const difference = tf.sub(rootProbabilities(terms.p, logits), rootProbabilities(terms.q, logits));
  // 1/2 sum (sqrt p - sqrt q)^2 = 1 - sum sqrt(p q), without the cancellation near p = q.
  return safeSqrt(tf.mul(0.5, tf.sum(tf.square(difference), terms.axis)));
}

const hellingerOp = tf.op({ hellinger_ });

/**
 * Hellinger distance `H(p, q) = sqrt(1 - sum sqrt(p q))`
 * `= sqrt(1/2 sum (sqrt p - sqrt q)^2)` (the torch / Wikipedia convention, with
 * the 1/2 so that it lies in [0, 1]), reduced over the event axis. Symmetric,
 * a metric; 1 for disjoint supports. The gradient at `p = q` is taken as 0.
 *
 * @param p - Probabilities (or logits with `{ logits: true }`), shape `[...batch, k]`.
 * @param q - Same as `p`, any shape broadcastable with it.
 * @param options - Event `axis` (default -1), `logits`, `validateArgs`.
 * @returns Hellinger distance, shape `[...batch]`. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { hellinger } from '@vae/divergence';
 *
 * hellinger(tf.tensor([1, 0]), tf.tensor([0, 1])).print(); // -> 1
 * hellinger(tf.tensor([0.5, 0.5, 0, 0]), tf.tensor([0.25, 0.25, 0.25, 0.25])).print(); // -> 0.5412
 * ```
 */
export function hellinger(
  p: TensorInput,
  q: TensorInput,
  options: DiscreteOptions = {},
): tf.Tensor {
  return hellingerOp(p, q, options);
}
