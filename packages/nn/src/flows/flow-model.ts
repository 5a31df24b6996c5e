import * as tf from '@tensorflow/tfjs-core';
import {
  checkSeed,
  ensureArgument,
  randomStandardNormal,
  stopGradient,
  tfSeed,
} from '@vae/divergence';
import { StandardNormal } from '../diagonal-normal.js';
import { owning } from '../internal/own.js';
import { Module } from '../module.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import { FlowDistribution } from './flow-distribution.js';
import { FlowLayer } from './flow-layer.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A normalizing flow as a density over data x `[batch, D]`: x = f(u) with u ~ N(0, I) and an
 * unconditional flow f (child `flow`, usually a {@link FlowStack} from {@link flowStack}), so
 * log p(x) = log N(f^-1(x); 0, I) + log |det df^-1/dx|. Train it by maximum likelihood with
 * `negativeLogLikelihood` as the loss of `@vae/trainer`'s `fit`; pick a flow whose inverse is
 * one pass (MAF, RealNVP) for fast training, an IAF for fast sampling.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FlowModel, flowStack } from '@vae/nn';
 * const model = new FlowModel({ flow: flowStack({ kind: 'realnvp', features: 2, layers: 4, hidden: [16], seed: 1 }) });
 * const x = tf.randomNormal([8, 2], 0, 1, 'float32', 1);
 * const logp = model.logProb(x); // [8]
 * const samples = model.sample(100, { seed: 0 }); // [100, 2]
 * tf.dispose([x, logp, samples]);
 * model.dispose();
 * ```
 */
export class FlowModel extends Module {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'FlowModel';
  /** The flow from the standard normal to the data. */
  readonly flow: FlowLayer;
  /** D, the size of one example. */
  readonly features: number;

  /**
   * A density model of data: a standard normal pushed through `flow`.
   *
   * @param options - The unconditional `flow`.
   */
  constructor(options: { flow: FlowLayer }) {
    super();
    const { flow } = options;
    ensureArgument(
      flow instanceof FlowLayer && flow.contextFeatures === 0,
      () => 'FlowModel: `flow` must be an unconditional FlowLayer (contextFeatures 0)',
    );
    this.flow = this.addModule('flow', flow);
    this.features = flow.features;
  }

  override getConfig(): ModuleConfig {
    return { flow: this.flow.spec() };
  }

  /** Rebuilds the model from {@link FlowModel.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): FlowModel {
    const read = context.read(config, 'FlowModel');
    return new FlowModel({ flow: context.build(read.value('flow'), 'FlowModel.flow', FlowLayer) });
  }

  /** log p(x), x `[...batch, D]` -> `[...batch]`, in the caller's scope. */
  call(x: tf.Tensor): tf.Tensor {
    const { x: u, logDet } = this.flow.inverseAndLogDet(x);
    const logBase = tf.mul(-0.5, tf.add(tf.sum(tf.square(u), -1), this.features * LOG_2PI));
    return tf.add(logBase, logDet);
  }

  /** log p(x), x `[...batch, D]` -> `[...batch]`; the caller owns it. */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.call(x));
  }

  /** The training loss: -mean log p(x) over the batch, a scalar (nats per example). */
  negativeLogLikelihood(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.neg(tf.mean(this.call(x))) as tf.Scalar);
  }

  /** `n` draws `[n, D]`, no gradient. The same seed gives the same draws (seed 0 too). */
  sample(n: number, options: { seed?: number } = {}): tf.Tensor {
    ensureArgument(
      Number.isInteger(n) && n > 0,
      () => `FlowModel.sample: \`n\` must be a positive integer, got ${n}`,
    );
    checkSeed('FlowModel.sample', options.seed);
    return tf.tidy(() => {
      const u = randomStandardNormal([n, this.features], tfSeed(options.seed));
      return stopGradient(this.flow.forwardAndLogDet(u).y);
    });
  }

  /** The model as a distribution (batch [], event [D]) over the current parameters; the caller owns it. */
  distribution(): FlowDistribution {
    const base = new StandardNormal(this.features);
    return owning(new FlowDistribution(base, this.flow), [base]);
  }
}
