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
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { BernoulliDecoder, Linear, Sequential, relu } from '@vae/nn';
 *
 * const decoder = new BernoulliDecoder({
 *   body: new Sequential([
 *     new Linear({ inFeatures: 2, outFeatures: 16, seed: 1 }),
 *     relu(),
 *     new Linear({ inFeatures: 16, outFeatures: 8, seed: 2 }),
 *   ]),
 *   eventShape: [8],
 * });
 * const z = tf.randomNormal([3, 2], 0, 1, 'float32', 3);
 * const p = decoder.call(z); // Independent(Bernoulli), batch [3], event [8]
 * console.log(p.batchShape, p.eventShape); // -> [ 3 ] [ 8 ]
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
