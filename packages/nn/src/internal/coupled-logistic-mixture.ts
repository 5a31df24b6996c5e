import * as tf from '@tensorflow/tfjs-core';
import { type Constraint, Distribution, type ParamLike, ParamScope } from '@vae/distributions';
import { levelMean, logLevelMass, logSumExp } from './discretized-logistic-mixture.js';

/**
 * What {@link CoupledLogisticMixture} is built from, for `batch` examples of
 * `pixels` RGB pixels each and K components: one mixture logit per pixel and
 * component `[batch, pixels, K]`; per channel locations, scales and coupling
 * coefficients `[batch, pixels, 3, K]` (coefficients: alpha, beta, gamma in
 * channel slots 0, 1, 2). The distribution owns them (frees them on `dispose`).
 */
export interface CoupledMixtureParameters {
  logits: tf.Tensor3D;
  loc: tf.Tensor4D;
  scale: tf.Tensor4D;
  coefficients: tf.Tensor4D;
  bins: number;
  eventShape: readonly number[];
}

const SUPPORT: Constraint = {
  description: 'intensities k / (bins - 1) in [0, 1]',
  check: (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 1)),
};

/** Slice `channel` of axis 2 of a `[batch, pixels, 3, K]` (or `[..., 3, 1]`) tensor, keeping the axis. */
function channel(t: tf.Tensor, index: number): tf.Tensor {
  const begin = [0, 0, index, 0];
  const size = [-1, -1, 1, -1];
  return tf.slice(t, begin, size);
}

/**
 * The PixelCNN++ likelihood of RGB pixels (Salimans et al. 2017, section 2.2):
 * per pixel, one mixture component k shared by the three channels, and within
 * it R ~ DL(mu_R), G ~ DL(mu_G + alpha_k R), B ~ DL(mu_B + beta_k R + gamma_k G),
 * each a discretized logistic on the levels k / (bins - 1) (the lowest and
 * highest levels take their tails). So P(pixel) = sum_k w_k P_k(R) P_k(G | R)
 * P_k(B | R, G) is a probability mass over the bins^3 colours. Batch shape
 * `[batch]`, event shape the decoder's `eventShape` (`[..., 3]`).
 */
export class CoupledLogisticMixture extends Distribution {
  readonly logits: tf.Tensor3D;
  readonly loc: tf.Tensor4D;
  readonly scale: tf.Tensor4D;
  readonly coefficients: tf.Tensor4D;
  readonly bins: number;

  constructor(parameters: CoupledMixtureParameters) {
    const scope = new ParamScope('CoupledLogisticMixture', { validateArgs: false });
    super({ batchShape: [parameters.loc.shape[0]], eventShape: parameters.eventShape }, scope);
    this.logits = parameters.logits;
    this.loc = parameters.loc;
    this.scale = parameters.scale;
    this.coefficients = parameters.coefficients;
    this.bins = parameters.bins;
    this.owned.push(this.logits, this.loc, this.scale, this.coefficients);
  }

  get support(): Constraint {
    return SUPPORT;
  }

  /**
   * The locations given the earlier channels' values `x` `[..., pixels, 3, 1]`:
   * mu_R, mu_G + alpha R, mu_B + beta R + gamma G, `[..., pixels, 3, K]`.
   */
  private conditionalLoc(loc: tf.Tensor, coefficients: tf.Tensor, x: tf.Tensor): tf.Tensor {
    const [r, g] = [channel(x, 0), channel(x, 1)];
    const [alpha, beta, gamma] = [0, 1, 2].map((c) => channel(coefficients, c));
    const shift = tf.concat(
      [tf.zerosLike(alpha!), tf.mul(alpha!, r), tf.add(tf.mul(beta!, r), tf.mul(gamma!, g))],
      2,
    );
    return tf.add(loc, shift);
  }

  /** log P(x) `[batch]` for levels x `[batch, ...event]` (k / (bins - 1)). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const [batch, pixels] = [this.loc.shape[0], this.loc.shape[1]];
      const x = tf.reshape(this.checkedValue(value), [batch, pixels, 3, 1]);
      const loc = this.conditionalLoc(this.loc, this.coefficients, x);
      const perChannel = logLevelMass(x, { loc, scale: this.scale }, this.bins); // [batch, pixels, 3, K]
      const perComponent = tf.sum(perChannel, 2); // [batch, pixels, K]
      const logWeights = tf.sub(this.logits, logSumExp(this.logits, true));
      return tf.sum(logSumExp(tf.add(perComponent, logWeights), false), -1);
    });
  }

  /**
   * A component per pixel (Gumbel-max over the logits), then R, G given R and B
   * given R and G, each a discretized logistic rounded to its level.
   */
  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const [batch, pixels, , components] = this.loc.shape;
    const perPixel = [...sampleShape, batch, pixels];
    const gumbelSeed = seed === undefined ? undefined : seed / 2;
    const gumbel = tf.neg(
      tf.log(
        tf.neg(tf.log(tf.randomUniform([...perPixel, components], 1e-7, 1, 'float32', gumbelSeed))),
      ),
    );
    // One-hot by comparison (tf.oneHot needs a depth of at least 2).
    const picked = tf.cast(
      tf.equal(
        tf.expandDims(tf.argMax(tf.add(this.logits, gumbel), -1), -1),
        tf.range(0, components, 1, 'int32'),
      ),
      'float32',
    );
    const perChannelPick = tf.expandDims(picked, -2); // [...sample, batch, pixels, 1, K]
    const choose = (t: tf.Tensor) => tf.sum(tf.mul(t, perChannelPick), -1); // [...sample, batch, pixels, 3]
    const [loc, scale, coefficients] = [this.loc, this.scale, this.coefficients].map(choose);
    const u = tf.randomUniform([...perPixel, 3], 1e-6, 1 - 1e-6, 'float32', seed);
    const noise = tf.mul(scale!, tf.sub(tf.log(u), tf.log1p(tf.neg(u))));
    const last = (t: tf.Tensor, c: number) => {
      const begin = t.shape.map((_, axis) => (axis === t.rank - 1 ? c : 0));
      const size = t.shape.map((_, axis) => (axis === t.rank - 1 ? 1 : -1));
      return tf.slice(t, begin, size);
    };
    const level = (t: tf.Tensor) =>
      tf.div(tf.round(tf.mul(tf.clipByValue(t, 0, 1), this.bins - 1)), this.bins - 1);
    const at = (c: number) => tf.add(last(loc!, c), last(noise, c));
    const r = level(at(0));
    const g = level(tf.add(at(1), tf.mul(last(coefficients!, 0), r)));
    const b = level(
      tf.add(at(2), tf.add(tf.mul(last(coefficients!, 1), r), tf.mul(last(coefficients!, 2), g))),
    );
    return tf.reshape(tf.concat([r, g, b], -1), [
      ...sampleShape,
      ...this.batchShape,
      ...this.eventShape,
    ]);
  }

  /**
   * A plug-in mean `[batch, ...event]`: E[R] exactly (sum_k w_k E[R | k]); for G
   * and B each component's mean with the earlier channels replaced by their
   * component means (E[G | k] ~ E[DL(mu_G + alpha_k E[R | k])], likewise B). Exact
   * when the coefficients are 0, and within the discretization and clipping error
   * otherwise (the conditional means are nearly linear in the location away from
   * 0 and 1). For pictures; log-probabilities never use it.
   * A new tensor; the caller owns (disposes) it.
   */
  override mean(): tf.Tensor {
    return tf.tidy(() => {
      const r = levelMean(channel(this.loc, 0), channel(this.scale, 0), this.bins);
      const [alpha, beta, gamma] = [0, 1, 2].map((c) => channel(this.coefficients, c));
      const g = levelMean(
        tf.add(channel(this.loc, 1), tf.mul(alpha!, r)),
        channel(this.scale, 1),
        this.bins,
      );
      const b = levelMean(
        tf.add(channel(this.loc, 2), tf.add(tf.mul(beta!, r), tf.mul(gamma!, g))),
        channel(this.scale, 2),
        this.bins,
      );
      const componentMeans = tf.concat([r, g, b], 2); // [batch, pixels, 3, K]
      const weights = tf.expandDims(tf.softmax(this.logits), 2);
      const mean = tf.sum(tf.mul(weights, componentMeans), -1);
      return tf.reshape(mean, [...this.batchShape, ...this.eventShape]);
    });
  }
}
