import * as tf from '@tensorflow/tfjs-core';
import {
  type Constraint,
  constraints,
  Distribution,
  type ParamLike,
  ParamScope,
} from '@vae/distributions';
import { ensureArgument, formatShape, repeatRows } from '@vae/divergence';
import type { MADE, MadeCallOptions } from './flows/made.js';
import { FastBernoulliEvent } from './internal/fast-bernoulli.js';

/** The MADE's input is the values scored: data, which needs no gradient. */
const DATA: MadeCallOptions = { inputGradient: false };

/** Options of {@link AutoregressiveBernoulli}. */
export interface AutoregressiveBernoulliOptions {
  /** The network of the logits: one output per value, `contextFeatures` > 0. Borrowed. */
  made: MADE;
  /** The conditioning input [batch, made.contextFeatures] (e.g. z or a network of z). Borrowed. */
  context: tf.Tensor;
  /** The shape of one example, of size `made.features` (e.g. [784] or [28, 28, 1]). */
  eventShape: readonly number[];
}

/**
 * Throws unless `made` can give the logits of binary vectors of `eventShape`: one output
 * per value, as many features as values, and a context. `owner` names the caller.
 */
export function checkAutoregressiveMade(
  owner: string,
  made: MADE,
  eventShape: readonly number[],
): void {
  const size = eventShape.reduce((a, b) => a * b, 1);
  ensureArgument(
    made.outputsPerFeature === 1 && made.features === size && made.contextFeatures > 0,
    () =>
      `${owner}: \`made\` must have one output per value, ${size} features (the size of eventShape ${formatShape(eventShape)}) and a context, got ${made.features} features, ${made.outputsPerFeature} outputs each, context ${made.contextFeatures}`,
  );
}

/**
 * p(x | c) = prod_i Bernoulli(x_i; sigmoid(l_i(x_<i, c))) over binary vectors of
 * `eventShape`, with the logits from a {@link MADE} that reads the earlier values
 * (in the MADE's `order`) and the context c. Batch shape [batch], from `context`.
 *
 * `logProb` is one pass of the network (all logits at once); `sample` is ancestral,
 * one pass per value in order (D passes for D values); `mean` is a plug-in, not the
 * exact mean (which sums over 2^D histories): each value's probability given the
 * earlier values set to their probabilities, in order, also D passes.
 * The distribution borrows `made` and `context`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { AutoregressiveBernoulli, MADE } from '@vae/nn';
 * const made = new MADE({ features: 4, hidden: [8], outputsPerFeature: 1, contextFeatures: 2, seed: 1 });
 * const context = tf.zeros([3, 2]);
 * const p = new AutoregressiveBernoulli({ made, context, eventShape: [4] });
 * const x = p.sample([], 7); // [3, 4] of 0s and 1s
 * const logProbability = p.logProb(x); // [3], nats
 * console.log(x.shape, logProbability.shape); // -> [ 3, 4 ] [ 3 ]
 * tf.dispose([x, logProbability, context]);
 * made.dispose();
 * ```
 */
export class AutoregressiveBernoulli extends Distribution {
  /** The network of the logits (borrowed). */
  readonly made: MADE;
  /** The context [batch, contextFeatures] (borrowed). */
  readonly context: tf.Tensor;

  /**
   * Binary vectors with autoregressive logits.
   *
   * @param options - The `made`, its `context` and the `eventShape`; see {@link AutoregressiveBernoulliOptions}.
   */
  constructor(options: AutoregressiveBernoulliOptions) {
    const { made, context, eventShape } = options;
    checkAutoregressiveMade('AutoregressiveBernoulli', made, eventShape);
    ensureArgument(
      context.rank === 2 && context.shape[1] === made.contextFeatures,
      () =>
        `AutoregressiveBernoulli: \`context\` must be [batch, ${made.contextFeatures}], got ${formatShape(context.shape)}`,
    );
    super(
      { batchShape: [context.shape[0]], eventShape },
      new ParamScope('AutoregressiveBernoulli', { validateArgs: false }),
    );
    this.made = made;
    this.context = context;
  }

  get support(): Constraint {
    return constraints.boolean;
  }

  /**
   * log p(x | c) `[...sample, batch]` for x `[...sample, batch, ...event]`: one pass of
   * the network over every row, the sum over the event in one fused op. Gradients flow to
   * the context and the network's weights, not to the values (binary data).
   */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const features = this.made.features;
      const batch = this.batchShape[0]!;
      const lead = x.shape.slice(0, x.rank - this.eventShape.length);
      ensureArgument(
        lead.at(-1) === batch,
        () =>
          `AutoregressiveBernoulli.logProb: the value must be [...sample, ${batch}, ${this.eventShape.join(', ')}], got ${formatShape(x.shape)}`,
      );
      const copies = lead.slice(0, -1).reduce((a, b) => a * b, 1);
      const flat = tf.reshape(x, [copies * batch, features]);
      // The values are data: no gradient to them (the MADE skips that product).
      const logits = this.made.call(flat, repeatRows(this.context, copies), DATA);
      const event = new FastBernoulliEvent(logits, 1);
      return tf.reshape(event.logProb(flat), lead);
    });
  }

  /**
   * log p(x | c) [copies * rows] for x [rows, ...event] repeated `copies` times along the
   * batch (batch = copies * rows, block i of the context the i-th copy): equal to `logProb`
   * of the repeated x, with x's part of the MADE's first layer computed once per row,
   * not once per copy (`@vae/elbo`'s `RepeatedLogProb`: the bounds' k draws per example).
   */
  logProbRepeated(x: tf.Tensor, copies: number): tf.Tensor {
    return tf.tidy(() => {
      const batch = this.batchShape[0]!;
      const features = this.made.features;
      const rows = batch / copies;
      ensureArgument(
        Number.isInteger(copies) &&
          copies >= 1 &&
          Number.isInteger(rows) &&
          x.size === rows * features &&
          x.shape[0] === rows,
        () =>
          `AutoregressiveBernoulli.logProbRepeated: x must be [${Number.isInteger(rows) ? rows : 'batch / copies'}, ${this.eventShape.join(', ')}] for ${copies} copies of a batch of ${batch}, got ${formatShape(x.shape)}`,
      );
      const flat = tf.reshape(x, [rows, features]);
      // The context as [copies, rows, C]: the first layer's x part [rows, H] broadcasts over it.
      const context = tf.reshape(this.context, [copies, rows, this.made.contextFeatures]);
      const logits = tf.reshape(this.made.call(flat, context, DATA), [batch, features]);
      return new FastBernoulliEvent(logits, 1).logProbRepeated(flat, copies);
    });
  }

  /** Ancestral draws `[...sampleShape, batch, ...event]`: one pass per value, in the MADE's order. */
  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const copies = sampleShape.reduce((a, b) => a * b, 1);
    const rows = copies * this.batchShape[0]!;
    const uniform = tf.randomUniform([rows, this.made.features], 0, 1, 'float32', seed);
    try {
      const x = this.#rollout(copies, (probability, i) =>
        tf.cast(tf.less(tf.slice(uniform, [0, i], [rows, 1]), probability), 'float32'),
      );
      const draws = tf.reshape(x, this.extendedShape(sampleShape));
      x.dispose();
      return draws;
    } finally {
      uniform.dispose();
    }
  }

  /**
   * The plug-in mean [batch, ...event]: in order, each value's probability given the
   * earlier values set to their probabilities. Exact for the first value; a deterministic
   * picture of p(x | c), not its exact mean. A new tensor; the caller owns (disposes) it.
   */
  override mean(): tf.Tensor {
    const x = this.#rollout(1, (probability) => probability);
    const mean = tf.reshape(x, [...this.batchShape, ...this.eventShape]);
    x.dispose();
    return mean;
  }

  /**
   * Fills a [copies * batch, D] tensor value by value in the MADE's order ({@link MADE.rollout}):
   * value i is `pick(sigmoid(l_i), i)` ([rows, 1]) with l_i from the values filled so far.
   */
  #rollout(copies: number, pick: (probability: tf.Tensor, i: number) => tf.Tensor): tf.Tensor {
    const context = repeatRows(this.context, copies);
    try {
      return this.made.rollout((logit, i) => pick(tf.sigmoid(logit), i), {
        rows: context.shape[0]!,
        context,
      });
    } finally {
      context.dispose();
    }
  }
}
