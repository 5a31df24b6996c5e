import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { ensureArgument, formatShape } from '@vae/divergence';
import { Decoder, type DecoderOptions } from './decoder.js';
import { CoupledLogisticMixture } from './internal/coupled-logistic-mixture.js';
import { DiscretizedLogisticMixture } from './internal/discretized-logistic-mixture.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** Options of {@link DiscretizedLogisticMixtureDecoder}. */
export interface DiscretizedLogisticMixtureDecoderOptions extends DecoderOptions {
  /** Mixture components K per value (default 5; 1 is a plain discretized logistic). */
  components?: number;
  /** Intensity levels (default 256: 8-bit images); values are k / (bins - 1). */
  bins?: number;
  /**
   * Couple the colour channels of RGB pixels as PixelCNN++ does (default false):
   * one component per pixel for its three channels, G's location shifted by
   * alpha R and B's by beta R + gamma G. Needs `eventShape` ending in 3.
   */
  coupled?: boolean;
}

/** The largest mixture a decoder takes: its body outputs 3K numbers per value. */
const MAX_COMPONENTS = 64;
/** log-scales are clipped to this range, as in PixelCNN++ (scale >= e^-7, about 1/1100). */
const LOG_SCALE_RANGE: [number, number] = [-7, 7];

/**
 * p(x | z) for 8-bit data. Uncoupled (the default): every value (each colour channel of each pixel) is an
 * independent mixture of K discretized logistics (Salimans et al. 2017, without
 * the coupling between channels) on the levels k / (bins - 1) of [0, 1]: level
 * x_k gets the logistic mass of [x_k - h, x_k + h], h = 1 / (2 (bins - 1)), the
 * lowest and highest levels their whole tails, so `logProb` is the
 * log-probability of the discrete data (nats), not a density. Scale pixel bytes
 * with `byte / 255`.
 *
 * The body maps z [batch, latentDim] to 3 K numbers per value, any shape with
 * `[batch, ...eventShape, 3, K]`'s size (a convolutional body's last layer has
 * `3 K c` channels): for each value, K mixture logits, K locations and K
 * log-scales (clipped to [-7, 7]). `call(z)` returns the mixture with batch shape
 * [batch] and event shape `eventShape` (written directly on [batch, values, K]
 * tensors: several times faster than `MixtureSameFamily` of `DiscretizedLogistic`
 * on wasm); the caller owns it (`dispose()` frees its tensors). `sample` draws a
 * component per value, then its discretized logistic.
 *
 * The mean is the exact expectation sum_k w_k E[x | component k], each
 * E[x | k] = 1 - (1 / (bins - 1)) sum_{j < bins - 1} F((x_j + h - loc_k) / scale_k)
 * (summation by parts over the levels), computed level by level so memory
 * stays at a few copies of the parameters.
 *
 * Coupled (`coupled: true`, for RGB images, `eventShape` `[..., 3]`): the
 * PixelCNN++ pixel (Salimans et al. 2017, section 2.2). Each pixel has one set
 * of K mixture weights for its three channels, and within component k
 * R ~ DL(mu_R), G ~ DL(mu_G + alpha_k R), B ~ DL(mu_B + beta_k R + gamma_k G)
 * with alpha, beta, gamma = tanh of body outputs, so `logProb` is the log-mass
 * of the 256^3 colours of every pixel. The body then outputs 10 K numbers per
 * pixel, `[batch, ...eventShape without the 3, 10 K]`'s size: K logits, then
 * 3 K locations, 3 K log-scales and 3 K coefficients (each channel-major:
 * R's K, G's K, B's K). `sample` draws R, then G given R, then B; `mean` is
 * exact for R and a plug-in (earlier channels at their component means) for G
 * and B.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DiscretizedLogisticMixtureDecoder, Linear } from '@vae/nn';
 * const decoder = new DiscretizedLogisticMixtureDecoder({
 *   body: new Linear({ inFeatures: 2, outFeatures: 4 * 3 * 5, seed: 1 }),
 *   eventShape: [2, 2, 1],
 *   components: 5,
 * });
 * const z = tf.zeros([3, 2]);
 * const p = decoder.call(z); // batch [3], event [2, 2, 1]
 * const logProbability = p.logProb(tf.fill([3, 2, 2, 1], 128 / 255)); // [3], nats
 * const mean = decoder.mean(z); // [3, 2, 2, 1] in [0, 1]
 * tf.dispose([logProbability, mean, z]);
 * p.dispose();
 * decoder.dispose();
 * ```
 */
export class DiscretizedLogisticMixtureDecoder extends Decoder {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'DiscretizedLogisticMixtureDecoder';
  /** Mixture components per value. */
  readonly components: number;
  /** Intensity levels. */
  readonly bins: number;
  /** Whether the colour channels of a pixel are coupled (PixelCNN++). */
  readonly coupled: boolean;

  /**
   * A decoder to a discretized mixture of logistics per pixel.
   *
   * @param options - The body, the event shape, `components` and `bins`; see {@link DiscretizedLogisticMixtureDecoderOptions}.
   */
  constructor(options: DiscretizedLogisticMixtureDecoderOptions) {
    super(options);
    const { components = 5, bins = 256, coupled = false } = options;
    ensureArgument(
      Number.isInteger(components) && components >= 1 && components <= MAX_COMPONENTS,
      () =>
        `DiscretizedLogisticMixtureDecoder: \`components\` must be an integer in [1, ${MAX_COMPONENTS}], got ${components}`,
    );
    ensureArgument(
      Number.isInteger(bins) && bins >= 2 && bins <= 65_536,
      () =>
        `DiscretizedLogisticMixtureDecoder: \`bins\` must be an integer in [2, 65536], got ${bins}`,
    );
    ensureArgument(
      !coupled || this.eventShape.at(-1) === 3,
      () =>
        `DiscretizedLogisticMixtureDecoder: \`coupled\` needs RGB pixels, an \`eventShape\` ending in 3; got ${formatShape(this.eventShape)}`,
    );
    this.components = components;
    this.bins = bins;
    this.coupled = coupled;
  }

  override getConfig(): ModuleConfig {
    return {
      ...super.getConfig(),
      components: this.components,
      bins: this.bins,
      ...(this.coupled ? { coupled: true } : {}),
    };
  }

  /** Rebuilds the decoder from {@link DiscretizedLogisticMixtureDecoder.getConfig}'s output (fresh weights). */
  static fromConfig(
    config: ModuleConfig,
    context: BuildContext,
  ): DiscretizedLogisticMixtureDecoder {
    const owner = 'DiscretizedLogisticMixtureDecoder';
    const read = context.read(config, owner);
    return new DiscretizedLogisticMixtureDecoder({
      ...Decoder.optionsFromConfig(config, context, owner),
      components: read.positiveInteger('components'),
      bins: read.positiveInteger('bins'),
      coupled: read.boolean('coupled', false),
    });
  }

  /** z [batch, latentDim] -> p(x | z), batch [batch], event `eventShape`. */
  override call(z: tf.Tensor): Distribution {
    if (this.coupled) return this.coupledCall(z);
    const values = this.eventShape.reduce((a, b) => a * b, 1);
    const [logits, loc, scale] = tf.tidy(() => {
      const h = this.body.call(z);
      const parameters = tf.reshape(h, [h.shape[0] ?? 1, values, 3 * this.components]);
      const [logits, loc, logScale] = tf.split(parameters, 3, -1) as [
        tf.Tensor3D,
        tf.Tensor3D,
        tf.Tensor3D,
      ];
      return [logits, loc, tf.exp(tf.clipByValue(logScale, ...LOG_SCALE_RANGE)) as tf.Tensor3D];
    });
    return new DiscretizedLogisticMixture({
      logits,
      loc,
      scale,
      bins: this.bins,
      eventShape: this.eventShape,
    });
  }

  private coupledCall(z: tf.Tensor): Distribution {
    const pixels = this.eventShape.reduce((a, b) => a * b, 1) / 3;
    const k = this.components;
    const [logits, loc, scale, coefficients] = tf.tidy(() => {
      const h = this.body.call(z);
      const batch = h.shape[0] ?? 1;
      const parameters = tf.reshape(h, [batch, pixels, 10 * k]);
      const [logits, loc, logScale, raw] = tf.split(parameters, [k, 3 * k, 3 * k, 3 * k], -1);
      const perChannel = (t: tf.Tensor) => tf.reshape(t, [batch, pixels, 3, k]) as tf.Tensor4D;
      return [
        logits as tf.Tensor3D,
        perChannel(loc!),
        perChannel(tf.exp(tf.clipByValue(logScale!, ...LOG_SCALE_RANGE))),
        perChannel(tf.tanh(raw!)),
      ] as const;
    });
    return new CoupledLogisticMixture({
      logits,
      loc,
      scale,
      coefficients,
      bins: this.bins,
      eventShape: this.eventShape,
    });
  }

  protected distribution(): Distribution {
    throw new Error('unreachable: DiscretizedLogisticMixtureDecoder overrides call');
  }
}
