import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import { ensureArgument } from '@vae/divergence';
import { Decoder, type DecoderOptions } from './decoder.js';
import { owning } from './internal/own.js';

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
 * const decoder = new GaussianDecoder({ body, eventShape: [784], variance: 0.1 });
 * decoder.call(z).logProb(x); // [n]
 * ```
 */
export class GaussianDecoder extends Decoder {
  /** log sigma^2 [...eventShape] when learned. */
  readonly logVariance: tf.Variable | undefined;
  readonly fixedVariance: number | undefined;

  constructor(options: GaussianDecoderOptions) {
    super(options);
    const variance = options.variance ?? 'learned';
    if (variance === 'learned') {
      this.logVariance = this.addParameter(
        'logVariance',
        tf.variable(tf.zeros([...options.eventShape])),
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

  protected distribution(loc: tf.Tensor): Independent {
    const scale =
      this.logVariance === undefined
        ? tf.fill(loc.shape, Math.sqrt(this.fixedVariance ?? 1))
        : tf.tidy(() =>
            tf.broadcastTo(tf.exp(tf.mul(this.logVariance as tf.Tensor, 0.5)), loc.shape),
          );
    const base = new Normal({ loc, scale, validateArgs: false });
    return owning(new Independent(base, this.eventShape.length, { validateArgs: false }), [
      loc,
      scale,
    ]);
  }
}
