import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import { ensureArgument } from '@vae/divergence';
import { Decoder, type DecoderOptions } from './decoder.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** Options of {@link GaussianDecoder}. */
export interface GaussianDecoderOptions extends DecoderOptions {
  /**
   * 'learned' (default): one learned log-variance per data dimension (the
   * parameter `logVariance`, shape eventShape, initialized to 0); or a fixed
   * positive variance shared by every dimension.
   */
  variance?: 'learned' | number;
}

/**
 * p(x | z) = N(x; loc(z), diag(sigma^2)) with a learned per-dimension or fixed variance.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GaussianDecoder, Linear } from '@vae/nn';
 *
 * const body = new Linear({ inFeatures: 2, outFeatures: 8, seed: 1 });
 * const decoder = new GaussianDecoder({ body, eventShape: [8], variance: 0.1 });
 * const z = tf.randomNormal([3, 2], 0, 1, 'float32', 2);
 * const x = tf.randomNormal([3, 8], 0, 1, 'float32', 3);
 * console.log(decoder.call(z).logProb(x).shape); // -> [ 3 ]
 * ```
 */
export class GaussianDecoder extends Decoder {
  /** log sigma^2 [...eventShape] when learned. */
  readonly logVariance: tf.Variable | undefined;
  /** The fixed variance, or `undefined` when it is learned. */
  readonly fixedVariance: number | undefined;

  /**
   * A decoder to a Gaussian with a learned or fixed variance.
   *
   * @param options - The body, the event shape and the variance; see {@link GaussianDecoderOptions}.
   */
  constructor(options: GaussianDecoderOptions) {
    super(options);
    const variance = options.variance ?? 'learned';
    if (variance === 'learned') {
      this.logVariance = this.createParameter('logVariance', options.eventShape, () =>
        tf.zeros([...options.eventShape]),
      );
      this.fixedVariance = undefined;
    } else {
      ensureArgument(
        Number.isFinite(variance) && variance > 0,
        () =>
          `GaussianDecoder: \`variance\` must be 'learned' or a positive number, got ${variance}`,
      );
      this.logVariance = undefined;
      this.fixedVariance = variance;
    }
  }

  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'GaussianDecoder';

  override getConfig(): ModuleConfig {
    return { ...super.getConfig(), variance: this.fixedVariance ?? 'learned' };
  }

  /** Rebuilds the decoder from {@link GaussianDecoder.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): GaussianDecoder {
    const options = Decoder.optionsFromConfig(config, context, 'GaussianDecoder');
    const read = context.read(config, 'GaussianDecoder');
    const variance = read.value('variance') === 'learned' ? 'learned' : read.number('variance');
    return new GaussianDecoder({ ...options, variance });
  }

  protected distribution(loc: tf.Tensor): Independent {
    const scale =
      this.logVariance === undefined
        ? tf.fill(loc.shape, Math.sqrt(this.fixedVariance ?? 1))
        : tf.tidy(() =>
            tf.broadcastTo(tf.exp(tf.mul(this.logVariance as tf.Tensor, 0.5)), loc.shape),
          );
    const base = new Normal({ loc, scale, validateArgs: false });
    return this.own(
      new Independent(base, this.eventShape.length, { validateArgs: false }),
      base,
      scale,
    );
  }
}
