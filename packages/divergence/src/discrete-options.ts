/**
 * Options shared by the discrete divergences (`kl`, `entropy`, `crossEntropy`,
 * `jensenShannon`, `totalVariation`, `hellinger`, `renyi`, `chiSquared`).
 *
 * Inputs have shape `[...batch, k]` (with the event axis where `axis` says);
 * two inputs may have different but broadcastable shapes. Results have the
 * broadcast shape without the event axis: `[...batch]`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { type DiscreteOptions, kl } from '@vae/divergence';
 *
 * // Logits of three categories (axis 0) for a batch of two (axis 1): [k, batch].
 * const logitsP = tf.tensor([[2, 0], [0, 0], [-1, 0]]);
 * const logitsQ = tf.zeros([3, 2]);
 * const options: DiscreteOptions = { axis: 0, logits: true, validateArgs: false };
 * kl(logitsP, logitsQ, options).print(); // -> [0.5743, 0]
 * ```
 */
export interface DiscreteOptions {
  /** The event axis to reduce over; negative counts from the end. Default `-1`. */
  axis?: number;
  /**
   * Inputs are unnormalized logits instead of probabilities: a log-softmax is
   * taken inside, which stays finite even at logits of ±1e4. `-Infinity`
   * marks a zero probability. Default `false`.
   */
  logits?: boolean;
  /**
   * Check the inputs (shapes, NaN, probabilities in [0, 1] summing to 1,
   * logits without NaN/+Infinity). This reads data back from the backend;
   * pass `false` in hot paths. Default `true`.
   */
  validateArgs?: boolean;
}
