import type * as tf from '@tensorflow/tfjs-core';
import { ContinuousBernoulli, Independent } from '@vae/distributions';
import { Decoder } from './decoder.js';
import { owning } from './internal/own.js';

/**
 * p(x | z) = prod ContinuousBernoulli(x_i; logits_i(z)), the properly normalized
 * likelihood for intensities in [0, 1] (Loaiza-Ganem & Cunningham 2019).
 *
 * @example
 * ```ts
 * const decoder = new ContinuousBernoulliDecoder({ body, eventShape: [784] });
 * decoder.call(z).logProb(x); // [n]
 * ```
 */
export class ContinuousBernoulliDecoder extends Decoder {
  protected distribution(logits: tf.Tensor): Independent {
    const base = new ContinuousBernoulli({ logits, validateArgs: false });
    return owning(new Independent(base, this.eventShape.length, { validateArgs: false }), [logits]);
  }
}
