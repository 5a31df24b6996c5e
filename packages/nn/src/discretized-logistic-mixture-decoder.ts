import * as tf from '@tensorflow/tfjs-core';
import {
  Categorical,
  DiscretizedLogistic,
  type Distribution,
  Independent,
  MixtureSameFamily,
} from '@vae/distributions';
import { ensureArgument } from '@vae/divergence';
import { Decoder, type DecoderOptions } from './decoder.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** Options of {@link DiscretizedLogisticMixtureDecoder}. */
export interface DiscretizedLogisticMixtureDecoderOptions extends DecoderOptions {
  /** Mixture components K per value (default 5; 1 is a plain discretized logistic). */
  components?: number;
  /** Intensity levels (default 256: 8-bit images); values are k / (bins - 1). */
  bins?: number;
}

/** The largest mixture a decoder takes: its body outputs 3K numbers per value. */
const MAX_COMPONENTS = 64;
/** log-scales are clipped to this range, as in PixelCNN++ (scale >= e^-7, about 1/1100). */
const LOG_SCALE_RANGE: [number, number] = [-7, 7];

/**
 * p(x | z) for 8-bit data: every value (each colour channel of each pixel) is an
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
 * log-scales (clipped to [-7, 7]). `call(z)` returns `Independent(MixtureSameFamily(
 * Categorical, DiscretizedLogistic))` with batch shape [batch] and event shape
 * `eventShape`; the caller owns it (`dispose()` frees its tensors).
 *
 * `mean(z)` is the exact expectation sum_k w_k E[x | component k], each
 * E[x | k] = 1 - (1 / (bins - 1)) sum_{j < bins - 1} F((x_j + h - loc_k) / scale_k)
 * (summation by parts over the levels), computed level by level so memory
 * stays at a few copies of the parameters.
 *
 * @example
 * ```ts
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

  constructor(options: DiscretizedLogisticMixtureDecoderOptions) {
    super(options);
    const { components = 5, bins = 256 } = options;
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
    this.components = components;
    this.bins = bins;
  }

  override getConfig(): ModuleConfig {
    return { ...super.getConfig(), components: this.components, bins: this.bins };
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
    });
  }

  /** The body's output as [batch, ...eventShape, 3, K]; the caller owns it. */
  private bodyOutput(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const h = this.body.call(z);
      return tf.reshape(h, [h.shape[0] ?? 1, ...this.eventShape, 3, this.components]);
    });
  }

  /** Splits [..., 3, K] into mixture logits, locations and scales, each [..., K]. */
  private split(parameters: tf.Tensor): { logits: tf.Tensor; loc: tf.Tensor; scale: tf.Tensor } {
    return tf.tidy(() => {
      const [logits, loc, logScale] = tf.unstack(parameters, parameters.rank - 2) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const scale = tf.exp(tf.clipByValue(logScale, ...LOG_SCALE_RANGE));
      return { logits, loc, scale };
    });
  }

  /** z [batch, latentDim] -> p(x | z), batch [batch], event `eventShape`. */
  override call(z: tf.Tensor): Distribution {
    const parameters = this.bodyOutput(z);
    const { logits, loc, scale } = this.split(parameters);
    parameters.dispose();
    const options = { validateArgs: false };
    const components = new DiscretizedLogistic({ loc, scale, bins: this.bins, ...options });
    const mixture = new Categorical({ logits, ...options });
    const values = new MixtureSameFamily({ mixture, components, ...options });
    return this.own(
      new Independent(values, this.eventShape.length, options),
      values,
      mixture,
      components,
      logits,
      loc,
      scale,
    );
  }

  protected distribution(): Distribution {
    throw new Error('unreachable: DiscretizedLogisticMixtureDecoder overrides call');
  }

  /** E[x | z], [batch, ...eventShape] in [0, 1]; the caller owns it. */
  override mean(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const parameters = this.bodyOutput(z);
      const { logits, loc, scale } = this.split(parameters);
      const step = 1 / (this.bins - 1);
      const inverseScale = tf.reciprocal(scale);
      // sum_{j < bins - 1} sigmoid((x_j + h - loc) / scale), x_j + h = (j + 1/2) step
      let below = tf.zerosLike(loc);
      for (let j = 0; j < this.bins - 1; j++) {
        const next = tf.tidy(() =>
          tf.add(below, tf.sigmoid(tf.mul(tf.sub((j + 0.5) * step, loc), inverseScale))),
        );
        below.dispose();
        below = next;
      }
      const componentMeans = tf.sub(1, tf.mul(below, step));
      return tf.sum(tf.mul(tf.softmax(logits), componentMeans), -1);
    });
  }
}
