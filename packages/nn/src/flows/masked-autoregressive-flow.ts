import * as tf from '@tensorflow/tfjs-core';
import { zeros } from '../initializers.js';
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

/**
 * A masked autoregressive flow layer (Papamakarios et al. 2017) on vectors `[...batch, D]`:
 * y_i = x_i exp(s_i) + m_i with (m, s) = MADE(y_<i) (and the context), so the density
 * direction is one pass, x = (y - m(y)) exp(-s(y)) with log |det dx/dy| = -sum s(y), and
 * sampling (`forward`) takes D sequential passes of the MADE. The MADE (child `made`) starts
 * with a zero output layer: the layer starts as the identity. Use it for densities of data
 * ({@link FlowModel}) and flow priors.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MaskedAutoregressiveFlow } from '@vae/nn';
 * const maf = new MaskedAutoregressiveFlow({ features: 2, hidden: [16], seed: 1 });
 * const { x, logDet } = tf.tidy(() => maf.inverseAndLogDet(tf.ones([4, 2]))); // [4, 2], [4]
 * tf.dispose([x, logDet]);
 * maf.dispose();
 * ```
 */
export class MaskedAutoregressiveFlow extends FlowLayer {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'MaskedAutoregressiveFlow';
  /** The conditioner: shift and log-scale of each feature. */
  readonly made: MADE;

  /**
   * A masked autoregressive flow layer (fast density evaluation).
   *
   * @param options - Features, hidden widths, context size and seed; see {@link AutoregressiveFlowOptions}.
   */
  constructor(options: AutoregressiveFlowOptions) {
    super('MaskedAutoregressiveFlow', options.features, options.contextFeatures ?? 0);
    this.made = this.addModule(
      'made',
      flowMade(options, { outputInit: zeros, outputBiasInit: zeros }),
    );
  }

  get fastDirection(): FlowDirection {
    return 'inverse';
  }

  override getConfig(): ModuleConfig {
    return autoregressiveConfig(this.made);
  }

  /** Rebuilds the layer, masks included, from {@link MaskedAutoregressiveFlow.getConfig}'s output. */
  static fromConfig(config: ModuleConfig, context: BuildContext): MaskedAutoregressiveFlow {
    return new MaskedAutoregressiveFlow(
      readAutoregressiveConfig(config, context, 'MaskedAutoregressiveFlow'),
    );
  }

  protected computeForward(x: tf.Tensor, context: tf.Tensor | undefined): FlowForward {
    // After pass k the first k features in the order are exact, so D passes give y, and the
    // last pass's (m, s) are those of the final y.
    let y: tf.Tensor = tf.zerosLike(x);
    let logScale: tf.Tensor = y;
    for (let pass = 0; pass < this.features; pass++) {
      const [shift, s] = this.made.outputs(y, context) as [tf.Tensor, tf.Tensor];
      y = tf.add(tf.mul(x, tf.exp(s)), shift);
      logScale = s;
    }
    return { y, logDet: tf.sum(logScale, -1) };
  }

  protected computeInverse(y: tf.Tensor, context: tf.Tensor | undefined): FlowInverse {
    const [shift, logScale] = this.made.outputs(y, context) as [tf.Tensor, tf.Tensor];
    return {
      x: tf.mul(tf.sub(y, shift), tf.exp(tf.neg(logScale))),
      logDet: tf.neg(tf.sum(logScale, -1)),
    };
  }
}
