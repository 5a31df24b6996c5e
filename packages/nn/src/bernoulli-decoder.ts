import type * as tf from '@tensorflow/tfjs-core';
import type { Independent } from '@vae/distributions';
import { Decoder } from './decoder.js';
import { FastBernoulliEvent } from './internal/fast-bernoulli.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * p(x | z) = prod Bernoulli(x_i; sigmoid(logits_i(z))), for binary (or binarized) data.
 * Its `logProb` (summed over the event) is one fused op with a hand-written gradient.
 *
 * @example
 * ```ts
 * const decoder = new BernoulliDecoder({
 *   body: new Sequential([new Linear({ inFeatures: 20, outFeatures: 400 }), relu(),
 *                         new Linear({ inFeatures: 400, outFeatures: 784 })]),
 *   eventShape: [784],
 * });
 * const p = decoder.call(z); // Independent(Bernoulli), batch [n], event [784]
 * ```
 */
export class BernoulliDecoder extends Decoder {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'BernoulliDecoder';

  /** Rebuilds the decoder from {@link Decoder.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): BernoulliDecoder {
    return new BernoulliDecoder(Decoder.optionsFromConfig(config, context, 'BernoulliDecoder'));
  }

  protected distribution(logits: tf.Tensor): Independent {
    return new FastBernoulliEvent(logits, this.eventShape.length);
  }
}
