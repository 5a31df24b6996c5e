import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, Independent, type ParamLike } from '@vae/distributions';
import { ensureArgument, formatShape, repeatRows } from '@vae/divergence';
import { bernoulliRowLogLikelihood } from './simd.js';
import { customGradWithSaved, recordingGradients } from './tfjs-internals.js';

/** `value` as float32; the same tensor when it already is (tf.cast would copy it). */
function asFloat32(value: tf.Tensor): tf.Tensor {
  return value.dtype === 'float32' ? value : tf.cast(value, 'float32');
}

/**
 * log p(x | logits) = x * l - softplus(l) (equal to Bernoulli's two-softplus
 * form for every x) as one op with the gradient (x - sigmoid(l)) * dy written
 * by hand: about ten elementwise kernels fewer per training step, and wasm's
 * Softplus kernel is slow.
 */
function bernoulliLogLikelihood(logits: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return customGradWithSaved([logits], (keep) => {
    const l = keep(logits);
    const xs = keep(x);
    // softplus(l) = relu(l) + log1p(exp(-|l|)) = relu(l) - log(sigmoid(|l|)); sigmoid(|l|) is in
    // [0.5, 1], so the log never underflows, and wasm's sigmoid is far faster than exp + log1p.
    const softplus = tf.sub(tf.relu(logits), tf.log(tf.sigmoid(tf.abs(logits))));
    return {
      value: tf.sub(tf.mul(x, logits), softplus),
      gradFunc: (dy) => [tf.mul(dy, tf.sub(xs, tf.sigmoid(l)))],
    };
  });
}

/** A Bernoulli over logits whose `logProb` is the fused op above when shapes match. */
export class FastBernoulli extends Bernoulli {
  readonly #logits: tf.Tensor;

  constructor(logits: tf.Tensor) {
    super({ logits, validateArgs: false });
    this.#logits = logits;
  }

  override logProb(value: ParamLike): tf.Tensor {
    if (!(value instanceof tf.Tensor) || !tf.util.arraysEqual(value.shape, this.#logits.shape)) {
      return super.logProb(value);
    }
    return tf.tidy(() => bernoulliLogLikelihood(this.#logits, asFloat32(value)));
  }
}

/** The largest of 16, 8, 4, 2, 1 that divides `size`. */
function groupSize(size: number): number {
  return [16, 8, 4, 2].find((g) => size % g === 0) ?? 1;
}

/**
 * Σ over the event of log p(x | logits), per example. On wasm one SIMD pass computes it
 * with its gradient (see simd.ts). Elsewhere: Σ x·l − Σ relu(l) +
 * Σ log σ(|l|), with the last sum as Σ over groups of log Π σ(|l|). Each σ(|l|)
 * is in [0.5, 1], so a product of 16 stays above 2^-16 (no underflow) and the
 * log (a slow, scalar kernel on wasm) runs on 1/16 of the elements. The
 * gradient (x − σ(l))·dy is written by hand, with dy broadcast from [batch].
 */
function bernoulliEventLogLikelihood(
  logits: tf.Tensor,
  x: tf.Tensor,
  eventRank: number,
): tf.Tensor {
  const batchShape = logits.shape.slice(0, logits.rank - eventRank);
  const batch = batchShape.reduce((a, b) => a * b, 1);
  const event = logits.size / batch;
  // x may hold fewer rows than the logits (batch a multiple of them): row r of the
  // logits goes with row r mod xRows of x, as if x were repeated.
  const xRows = x.size / event;
  const fast = bernoulliRowLogLikelihood(
    tf.reshape(logits, [batch, event]) as tf.Tensor2D,
    tf.reshape(x, [xRows, event]) as tf.Tensor2D,
    recordingGradients(),
  );
  if (fast !== undefined) {
    // One pass on wasm; the gradient x − σ(l) comes out of the same pass, made here,
    // outside the op (tfjs's test-mode leak check counts any new tensor an op keeps).
    const { value, gradient } = fast;
    if (gradient === undefined) return tf.reshape(value, batchShape);
    return customGradWithSaved([logits], (keep) => {
      const g = keep(gradient);
      return {
        value: tf.reshape(value, batchShape),
        gradFunc: (dy) => [tf.reshape(tf.mul(tf.reshape(dy, [batch, 1]), g), logits.shape)],
      };
    });
  }
  const group = groupSize(event);
  const repeated = xRows === batch ? x : repeatRows(x, batch / xRows);
  return customGradWithSaved([logits], (keep) => {
    const l = keep(logits);
    const xs = keep(tf.reshape(repeated, logits.shape));
    const l2 = tf.reshape(logits, [batch, event]);
    const x2 = tf.reshape(repeated, [batch, event]);
    const linear = tf.sum(tf.sub(tf.mul(x2, l2), tf.relu(l2)), 1);
    const probabilities = tf.sigmoid(tf.abs(l2));
    const logs = tf.sum(
      tf.log(tf.prod(tf.reshape(probabilities, [batch, event / group, group]), 2)),
      1,
    );
    return {
      value: tf.reshape(tf.add(linear, logs), batchShape),
      gradFunc: (dy) => {
        const spread = tf.reshape(dy, [...batchShape, ...new Array<number>(eventRank).fill(1)]);
        return [tf.mul(spread, tf.sub(xs, tf.sigmoid(l)))];
      },
    };
  });
}

/**
 * Independent(FastBernoulli) over `eventRank` axes whose `logProb` sums over the
 * event in the same fused op (one kernel chain, no separate reduction).
 */
export class FastBernoulliEvent extends Independent {
  readonly #logits: tf.Tensor;

  constructor(logits: tf.Tensor, eventRank: number) {
    super(new FastBernoulli(logits), eventRank, { validateArgs: false });
    this.#logits = logits;
  }

  override logProb(value: ParamLike): tf.Tensor {
    if (!(value instanceof tf.Tensor) || !tf.util.arraysEqual(value.shape, this.#logits.shape)) {
      return super.logProb(value);
    }
    return tf.tidy(() =>
      bernoulliEventLogLikelihood(this.#logits, asFloat32(value), this.reinterpretedBatchDims),
    );
  }

  /**
   * log p(x | logits) [copies * rows] for x [rows, ...event] repeated `copies` times
   * along the batch (`@vae/elbo`'s `RepeatedLogProb`: the bounds' k draws per
   * example). On wasm the kernel reads each row of x once per copy in place, so x is
   * never copied; elsewhere x is repeated first.
   */
  logProbRepeated(x: tf.Tensor, copies: number): tf.Tensor {
    const batch = this.batchShape.reduce((a, b) => a * b, 1);
    const rows = batch / copies;
    const expected = [rows, ...this.eventShape];
    ensureArgument(
      Number.isInteger(copies) && copies >= 1 && tf.util.arraysEqual(x.shape, expected),
      () =>
        `Bernoulli.logProbRepeated: x must be ${formatShape(expected)} for ${copies} copies of a batch of ${batch}, got ${formatShape(x.shape)}`,
    );
    return tf.tidy(() =>
      bernoulliEventLogLikelihood(this.#logits, asFloat32(x), this.reinterpretedBatchDims),
    );
  }
}
