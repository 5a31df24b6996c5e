import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { owning } from './internal/own.js';
import { Module } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** Options every decoder takes. */
export interface DecoderOptions {
  /** Maps z [batch, latentDim] to [batch, size of eventShape] (any shape with that size per example). */
  body: Module;
  /** Shape of one example x, e.g. [784] or [28, 28, 1]. */
  eventShape: readonly number[];
}

/**
 * Base of the decoders: maps z [batch, latentDim] to p(x | z), a distribution
 * with batch shape [batch] and event shape `eventShape`. The caller owns the
 * returned distribution (its `dispose()` frees the tensors the network made).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { mlpVAE } from '@vae/nn';
 *
 * const { decoder } = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const z = tf.randomNormal([3, 2], 0, 1, 'float32', 2);
 * const x = tf.round(tf.randomUniform([3, 8], 0, 1, 'float32', 3));
 * const p = decoder.call(z); // batch [3], event [8]
 * const logLikelihood = p.logProb(x);
 * console.log(logLikelihood.shape); // -> [ 3 ]
 * ```
 */
export abstract class Decoder extends Module<Distribution> {
  /** The network from z [batch, latentDim] to the distribution's parameters. */
  readonly body: Module;
  /** The shape of one data example. */
  readonly eventShape: readonly number[];

  /**
   * A decoder: a body network and the shape of one data example.
   *
   * @param options - The `body` network and the `eventShape` of one example; see {@link DecoderOptions}.
   */
  constructor(options: DecoderOptions) {
    super();
    this.body = this.addModule('body', options.body);
    this.eventShape = [...options.eventShape];
  }

  override getConfig(): ModuleConfig {
    return { body: this.body.spec(), eventShape: [...this.eventShape] };
  }

  /** Reads {@link Decoder.getConfig}'s fields, for a subclass's `fromConfig`. */
  static optionsFromConfig(
    config: ModuleConfig,
    context: BuildContext,
    owner: string,
  ): DecoderOptions {
    const read = context.read(config, owner);
    return {
      body: context.build(read.value('body'), `${owner}.body`),
      eventShape: read.shape('eventShape'),
    };
  }

  /**
   * Builds p(x | z) from the body's output reshaped to [batch, ...eventShape].
   * `output` is freed with the returned distribution; tensors or distributions
   * the subclass creates here must be handed to {@link Decoder.own}.
   */
  protected abstract distribution(output: tf.Tensor): Distribution;

  /** Makes `distribution.dispose()` also free `owned` (tensors or distributions made for it). */
  protected own<D extends Distribution>(
    distribution: D,
    ...owned: (tf.Tensor | { dispose(): void })[]
  ): D {
    return owning(distribution, owned);
  }

  /** z [batch, latentDim] -> p(x | z) with event shape `eventShape`. */
  call(z: tf.Tensor): Distribution {
    const output = tf.tidy(() => {
      const h = this.body.call(z);
      return tf.reshape(h, [h.shape[0] ?? 1, ...this.eventShape]);
    });
    return owning(this.distribution(output), [output]);
  }

  /** The mean of p(x | z) [batch, ...eventShape] (probabilities for Bernoulli); the caller owns it. */
  mean(z: tf.Tensor): tf.Tensor {
    const p = this.call(z);
    try {
      return p.mean();
    } finally {
      p.dispose();
    }
  }
}
