import * as tf from '@tensorflow/tfjs-core';
import { type Initializer, zeros } from '../initializers.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import {
  type AutoregressiveFlowOptions,
  autoregressiveConfig,
  flowMade,
  readAutoregressiveConfig,
} from './autoregressive-options.js';
import { type FlowDirection, type FlowForward, type FlowInverse, FlowLayer } from './flow-layer.js';
import type { MADE } from './made.js';

/** The initial pre-activation of the gate: sigmoid(2) = 0.88 (Kingma et al.'s "+1 or +2"). */
const GATE_BIAS = 2;

/** Bias [m: 0 ..., s: GATE_BIAS ...] of the MADE's output layer. */
const gateBias: Initializer = (shape) => {
  const size = shape[0]! / 2;
  return tf.concat([tf.zeros([size]), tf.fill([size], GATE_BIAS)]);
};

/**
 * An inverse autoregressive flow layer (Kingma et al. 2016) on vectors `[...batch, D]`, in
 * its numerically stable gated form: (m, s) = MADE(x, context), sigma = sigmoid(s),
 * y = sigma * x + (1 - sigma) * m, with log |det dy/dx| = sum log sigmoid(s) =
 * -sum softplus(-s) (never the log of a small product). Sampling (`forward`) is one pass;
 * the inverse takes D sequential passes. The MADE (child `made`) starts with zero output
 * weights and s = 2 (sigma = 0.88). With a context (the encoder's features h) it is the
 * posterior flow of {@link FlowEncoder}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { InverseAutoregressiveFlow } from '@vae/nn';
 * const iaf = new InverseAutoregressiveFlow({ features: 4, hidden: [16], contextFeatures: 8, seed: 1 });
 * const { y, logDet } = tf.tidy(() => iaf.forwardAndLogDet(tf.ones([3, 4]), tf.ones([3, 8])));
 * tf.dispose([y, logDet]); // [3, 4], [3]
 * iaf.dispose();
 * ```
 */
export class InverseAutoregressiveFlow extends FlowLayer {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'InverseAutoregressiveFlow';
  /** The conditioner: the mean m and gate pre-activation s of each feature. */
  readonly made: MADE;

  /**
   * An inverse autoregressive flow layer (fast sampling).
   *
   * @param options - Features, hidden widths, context size and seed; see {@link AutoregressiveFlowOptions}.
   */
  constructor(options: AutoregressiveFlowOptions) {
    super('InverseAutoregressiveFlow', options.features, options.contextFeatures ?? 0);
    this.made = this.addModule(
      'made',
      flowMade(options, { outputInit: zeros, outputBiasInit: gateBias }),
    );
  }

  get fastDirection(): FlowDirection {
    return 'forward';
  }

  override getConfig(): ModuleConfig {
    return autoregressiveConfig(this.made);
  }

  /** Rebuilds the layer, masks included, from {@link InverseAutoregressiveFlow.getConfig}'s output. */
  static fromConfig(config: ModuleConfig, context: BuildContext): InverseAutoregressiveFlow {
    return new InverseAutoregressiveFlow(
      readAutoregressiveConfig(config, context, 'InverseAutoregressiveFlow'),
    );
  }

  protected computeForward(x: tf.Tensor, context: tf.Tensor | undefined): FlowForward {
    const [mean, s] = this.made.outputs(x, context) as [tf.Tensor, tf.Tensor];
    const y = tf.add(mean, tf.mul(tf.sigmoid(s), tf.sub(x, mean)));
    return { y, logDet: tf.neg(tf.sum(tf.softplus(tf.neg(s)), -1)) };
  }

  protected computeInverse(y: tf.Tensor, context: tf.Tensor | undefined): FlowInverse {
    // x = m + (y - m) / sigmoid(s) = m + (y - m) exp(softplus(-s)); pass k fixes the k-th
    // feature in the order, and the last pass's s is that of the final x.
    let x: tf.Tensor = tf.zerosLike(y);
    let logInverseGate: tf.Tensor = x;
    for (let pass = 0; pass < this.features; pass++) {
      const [mean, s] = this.made.outputs(x, context) as [tf.Tensor, tf.Tensor];
      logInverseGate = tf.softplus(tf.neg(s));
      x = tf.add(mean, tf.mul(tf.sub(y, mean), tf.exp(logInverseGate)));
    }
    return { x, logDet: tf.sum(logInverseGate, -1) };
  }
}
