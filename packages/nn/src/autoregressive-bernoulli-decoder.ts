import * as tf from '@tensorflow/tfjs-core';
import { AutoregressiveBernoulli, checkAutoregressiveMade } from './autoregressive-bernoulli.js';
import { Decoder } from './decoder.js';
import { MADE } from './flows/made.js';
import { owning } from './internal/own.js';
import type { Module } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** Options of {@link AutoregressiveBernoulliDecoder}. */
export interface AutoregressiveBernoulliDecoderOptions {
  /** Maps z [batch, latentDim] to the MADE's context [batch, made.contextFeatures]. */
  body: Module;
  /** The network of the logits: `features` = the size of `eventShape`, one output each, a context. */
  made: MADE;
  /** Shape of one example x, e.g. [784] or [28, 28, 1]. */
  eventShape: readonly number[];
}

/**
 * p(x | z) = prod_i Bernoulli(x_i; sigmoid(l_i(x_<i, body(z)))): an autoregressive
 * decoder for binary data, its logits from a {@link MADE} that reads the earlier values
 * and a context computed from z by `body` (an empty `Sequential` feeds z itself). Each
 * pixel is modelled given z and the pixels before it, which a factorized decoder cannot
 * do; training and `logProb` cost one pass of the MADE, `sample` one pass per value
 * (see {@link AutoregressiveBernoulli}, whose `mean` is a plug-in, not the exact mean).
 * Parameters are `body.*` and `made.*`; the MADE's masks are saved in its config.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { AutoregressiveBernoulliDecoder, MADE, Sequential } from '@vae/nn';
 * const decoder = new AutoregressiveBernoulliDecoder({
 *   body: new Sequential([]), // the context is z itself
 *   made: new MADE({ features: 8, hidden: [16], outputsPerFeature: 1, contextFeatures: 2, seed: 1 }),
 *   eventShape: [8],
 * });
 * const z = tf.randomNormal([3, 2], 0, 1, 'float32', 2);
 * const p = decoder.call(z); // batch [3], event [8]
 * const x = p.sample([], 4); // [3, 8]: ancestral draws, one pass per value
 * console.log(p.logProb(x).shape); // -> [ 3 ]
 * ```
 */
export class AutoregressiveBernoulliDecoder extends Decoder {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'AutoregressiveBernoulliDecoder';
  /** The network of the logits. */
  readonly made: MADE;

  /**
   * An autoregressive Bernoulli decoder.
   *
   * @param options - The `body` (z to context), the `made` and the `eventShape`; see {@link AutoregressiveBernoulliDecoderOptions}.
   */
  constructor(options: AutoregressiveBernoulliDecoderOptions) {
    super({ body: options.body, eventShape: options.eventShape });
    const { made } = options;
    checkAutoregressiveMade('AutoregressiveBernoulliDecoder', made, this.eventShape);
    this.made = this.addModule('made', made);
  }

  override getConfig(): ModuleConfig {
    return { ...super.getConfig(), made: this.made.spec() };
  }

  /** Rebuilds the decoder, the MADE's masks included, from {@link AutoregressiveBernoulliDecoder.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): AutoregressiveBernoulliDecoder {
    const owner = 'AutoregressiveBernoulliDecoder';
    const read = context.read(config, owner);
    return new AutoregressiveBernoulliDecoder({
      ...Decoder.optionsFromConfig(config, context, owner),
      made: context.build(read.value('made'), `${owner}.made`, MADE),
    });
  }

  /** The distribution over a context [batch, C] (freed with the distribution). */
  protected distribution(context: tf.Tensor): AutoregressiveBernoulli {
    return new AutoregressiveBernoulli({ made: this.made, context, eventShape: this.eventShape });
  }

  /** z [batch, latentDim] -> p(x | z) with batch [batch] and event shape `eventShape`. */
  override call(z: tf.Tensor): AutoregressiveBernoulli {
    const context = tf.tidy(() => {
      const c = this.body.call(z);
      // An empty body hands z back; the distribution frees its context, so copy it.
      return c === z ? tf.clone(z) : c;
    });
    return owning(this.distribution(context), [context]);
  }
}
