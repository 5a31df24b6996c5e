import type * as tf from '@tensorflow/tfjs-core';
import { ContinuousBernoulli, Independent } from '@vae/distributions';
import { Decoder } from './decoder.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * p(x | z) = prod ContinuousBernoulli(x_i; logits_i(z)), the properly normalized
 * likelihood for intensities in [0, 1] (Loaiza-Ganem & Cunningham 2019).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ContinuousBernoulliDecoder, Linear } from '@vae/nn';
 *
 * const body = new Linear({ inFeatures: 2, outFeatures: 8, seed: 1 });
 * const decoder = new ContinuousBernoulliDecoder({ body, eventShape: [8] });
 * const z = tf.randomNormal([3, 2], 0, 1, 'float32', 2);
 * const x = tf.randomUniform([3, 8], 0, 1, 'float32', 3); // values in [0, 1]
 * console.log(decoder.call(z).logProb(x).shape); // -> [ 3 ]
 * ```
 */
export class ContinuousBernoulliDecoder extends Decoder {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'ContinuousBernoulliDecoder';

  /** Rebuilds the decoder from {@link Decoder.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): ContinuousBernoulliDecoder {
    return new ContinuousBernoulliDecoder(
      Decoder.optionsFromConfig(config, context, 'ContinuousBernoulliDecoder'),
    );
  }

  protected distribution(logits: tf.Tensor): Independent {
    const base = new ContinuousBernoulli({ logits, validateArgs: false });
    return this.own(new Independent(base, this.eventShape.length, { validateArgs: false }), base);
  }
}
