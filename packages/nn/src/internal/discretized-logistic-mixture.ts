import * as tf from '@tensorflow/tfjs-core';
import { type Constraint, Distribution, type ParamLike, ParamScope } from '@vae/distributions';
import { customGradWithSaved } from './tfjs-internals.js';

/**
 * What {@link DiscretizedLogisticMixture} is built from, for `batch` examples of
 * `values` values each and K components: mixture logits, locations and scales,
 * each `[batch, values, K]`. The distribution owns them (frees them on `dispose`).
 */
export interface MixtureParameters {
  logits: tf.Tensor3D;
  loc: tf.Tensor3D;
  scale: tf.Tensor3D;
  bins: number;
  eventShape: readonly number[];
}

const SUPPORT: Constraint = {
  description: 'intensities k / (bins - 1) in [0, 1]',
  check: (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 1)),
};

/**
 * log sum exp over the last axis, keeping it (`[..., 1]`), with a hand-written
 * gradient dy * softmax(x). tfjs's own `logSumExp` differentiates through its `max`
 * (an Equal and a Tile over the whole tensor, most of a training step here), and
 * its `logSoftmax` leaks a tensor in its gradient on wasm.
 */
function logSumExpLast(x: tf.Tensor): tf.Tensor {
  return customGradWithSaved([x], (keep) => {
    const value = tf.tidy(() => {
      const shift = tf.max(x, -1, true);
      return tf.add(tf.log(tf.sum(tf.exp(tf.sub(x, shift)), -1, true)), shift);
    });
    // Only the input and the output are kept (aliases of their data): the softmax
    // is recomputed in the backward pass.
    const [input, output] = [keep(x), keep(value)];
    return { value, gradFunc: (dy) => [tf.mul(dy, tf.exp(tf.sub(input, output)))] };
  });
}

/** log sum exp over the last axis (see {@link logSumExpLast}), keeping it or not. */
export function logSumExp(x: tf.Tensor, keepDims: boolean): tf.Tensor {
  const value = logSumExpLast(x);
  return keepDims ? value : tf.squeeze(value, [-1]);
}

/**
 * log P(x) of levels x under discretized logistics (loc, scale), broadcasting x
 * against the parameters: the logistic mass of [x - h, x + h], h = 1 / (2 (bins - 1)),
 * with the lowest and highest levels taking their whole tails. Call inside `tf.tidy`.
 */
export function logLevelMass(
  x: tf.Tensor,
  { loc, scale }: { loc: tf.Tensor; scale: tf.Tensor },
  bins: number,
): tf.Tensor {
  const h = 0.5 / (bins - 1);
  const inverseScale = tf.reciprocal(scale);
  const centered = tf.sub(x, loc);
  const upper = tf.mul(tf.add(centered, h), inverseScale); // a
  const lower = tf.mul(tf.sub(centered, h), inverseScale); // b
  const logCdfUpper = tf.neg(tf.softplus(tf.neg(upper))); // log sigmoid(a)
  const logSurvivalLower = tf.neg(tf.softplus(lower)); // log(1 - sigmoid(b))
  // log(sigmoid(a) - sigmoid(b)) = log sigmoid(a) + log(1 - sigmoid(b)) + log(1 - e^(b - a)).
  const logGap = tf.log(tf.neg(tf.expm1(tf.mul(inverseScale, -2 * h))));
  const middle = tf.add(tf.add(logCdfUpper, logSurvivalLower), logGap);
  // The lowest level takes the left tail, the highest the right one. Masks the
  // shape of x multiply (broadcasting for free) rather than select: a broadcast
  // select tiles its condition over the components.
  const bottom = tf.cast(tf.lessEqual(x, h), 'float32');
  const top = tf.cast(tf.greaterEqual(x, 1 - h), 'float32');
  return tf.add(
    middle,
    tf.add(
      tf.mul(bottom, tf.sub(logCdfUpper, middle)),
      tf.mul(top, tf.sub(logSurvivalLower, middle)),
    ),
  );
}

/**
 * E[x] of discretized logistics (loc, scale) on `bins` levels, elementwise:
 * 1 - step sum over the levels below the top of sigmoid((x_j + h - loc) / scale)
 * (summation by parts), accumulated level by level so memory stays at a few
 * copies of the parameters. The caller owns the result.
 */
export function levelMean(loc: tf.Tensor, scale: tf.Tensor, bins: number): tf.Tensor {
  return tf.tidy(() => {
    const step = 1 / (bins - 1);
    const inverseScale = tf.reciprocal(scale);
    let below: tf.Tensor = tf.zerosLike(loc);
    for (let j = 0; j < bins - 1; j++) {
      const next = tf.tidy(() =>
        tf.add(below, tf.sigmoid(tf.mul(tf.sub((j + 0.5) * step, loc), inverseScale))),
      );
      below.dispose();
      below = next;
    }
    return tf.sub(1, tf.mul(below, step));
  });
}

/**
 * p(x) = prod over values of sum_k w_k DL(x; loc_k, scale_k): an independent
 * mixture of discretized logistics per value, written directly on `[batch,
 * values, K]` tensors (a handful of elementwise ops and one logsumexp) rather
 * than through MixtureSameFamily, whose general broadcasting costs several
 * times more on the wasm backend. Batch shape `[batch]`, event shape the
 * decoder's `eventShape`.
 */
export class DiscretizedLogisticMixture extends Distribution {
  readonly logits: tf.Tensor3D;
  readonly loc: tf.Tensor3D;
  readonly scale: tf.Tensor3D;
  readonly bins: number;

  constructor(parameters: MixtureParameters) {
    const scope = new ParamScope('DiscretizedLogisticMixture', { validateArgs: false });
    super({ batchShape: [parameters.loc.shape[0]], eventShape: parameters.eventShape }, scope);
    this.logits = parameters.logits;
    this.loc = parameters.loc;
    this.scale = parameters.scale;
    this.bins = parameters.bins;
    this.owned.push(this.logits, this.loc, this.scale);
  }

  get support(): Constraint {
    return SUPPORT;
  }

  /** `[batch, ...event]` -> `[batch, values, 1]`, for the component axis. */
  private flat(x: tf.Tensor): tf.Tensor3D {
    const [batch, values] = [this.loc.shape[0], this.loc.shape[1]];
    return tf.reshape(x, [batch, values, 1]);
  }

  /** log P(x) `[batch]` for levels x `[batch, ...event]` (k / (bins - 1)). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.flat(this.checkedValue(value));
      const perComponent = logLevelMass(x, this, this.bins);
      const logWeights = tf.sub(this.logits, logSumExp(this.logits, true));
      return tf.sum(logSumExp(tf.add(perComponent, logWeights), false), -1);
    });
  }

  /** A component per value (Gumbel-max over the logits), then its discretized logistic. */
  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const shape = [...sampleShape, ...this.loc.shape];
    const gumbelSeed = seed === undefined ? undefined : seed / 2;
    const gumbel = tf.neg(
      tf.log(tf.neg(tf.log(tf.randomUniform(shape, 1e-7, 1, 'float32', gumbelSeed)))),
    );
    // One-hot by comparison: tf.oneHot needs a depth of at least 2 (K = 1 is allowed).
    const picked = tf.cast(
      tf.equal(
        tf.expandDims(tf.argMax(tf.add(this.logits, gumbel), -1), -1),
        tf.range(0, this.loc.shape[2], 1, 'int32'),
      ),
      'float32',
    );
    const choose = (t: tf.Tensor) => tf.sum(tf.mul(t, picked), -1);
    const u = tf.randomUniform(shape.slice(0, -1), 1e-6, 1 - 1e-6, 'float32', seed);
    const logistic = tf.add(
      choose(this.loc),
      tf.mul(choose(this.scale), tf.sub(tf.log(u), tf.log1p(tf.neg(u)))),
    );
    const levels = tf.round(tf.mul(tf.clipByValue(logistic, 0, 1), this.bins - 1));
    return tf.reshape(tf.div(levels, this.bins - 1), [
      ...sampleShape,
      ...this.batchShape,
      ...this.eventShape,
    ]);
  }

  /**
   * E[x] `[batch, ...event]`: sum_k w_k E[x | k], with E[x | k] = 1 - step sum over the
   * levels below the top of sigmoid((x_j + h - loc_k) / scale_k) (summation by parts),
   * accumulated level by level so memory stays at a few copies of the parameters.
   * A new tensor; the caller owns (disposes) it.
   */
  override mean(): tf.Tensor {
    return tf.tidy(() => {
      const componentMeans = levelMean(this.loc, this.scale, this.bins);
      const mean = tf.sum(tf.mul(tf.softmax(this.logits), componentMeans), -1);
      return tf.reshape(mean, [...this.batchShape, ...this.eventShape]);
    });
  }
}
