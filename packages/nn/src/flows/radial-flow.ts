import * as tf from '@tensorflow/tfjs-core';
import { smallUniform } from '../internal/flow-init.js';
import { randomSeed } from '../internal/seed.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import { type FlowDirection, type FlowForward, type FlowInverse, FlowLayer } from './flow-layer.js';
import type { SimpleFlowOptions } from './planar-flow.js';

/**
 * The radial flow of Rezende & Mohamed (2015) on vectors `[...batch, D]`:
 * y = x + β (x - x0) / (α + r), r = |x - x0|, with parameters `center` x0 [D], `alpha` []
 * and `beta` [] (unconstrained). Invertibility is enforced as in their appendix:
 * α = softplus(alpha) > 0 and β = softplus(beta) - α >= -α. Every log is of a sum of positive
 * terms: log |det dy/dx| = (D - 1) log((r + α + β) / (α + r)) + log((r² + 2αr + α(α + β)) / (α + r)²).
 *
 * Unlike the planar flow it has a closed-form inverse: |y - x0| = r (1 + β / (α + r)) is a
 * quadratic in r, solved in its cancellation-free form, and x - x0 is (y - x0) scaled back.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RadialFlow } from '@vae/nn';
 * const radial = new RadialFlow({ features: 2, seed: 1 });
 * const { x, logDet } = tf.tidy(() => radial.inverseAndLogDet(tf.ones([3, 2]))); // [3, 2], [3]
 * tf.dispose([x, logDet]);
 * radial.dispose();
 * ```
 */
export class RadialFlow extends FlowLayer {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'RadialFlow';
  /** x0 [D]. */
  readonly center: tf.Variable;
  /** α = softplus(alpha), []. */
  readonly alpha: tf.Variable;
  /** β = softplus(beta) - α, []. */
  readonly beta: tf.Variable;

  /**
   * A radial flow layer.
   *
   * @param options - `features` and `seed`; see {@link SimpleFlowOptions}.
   */
  constructor(options: SimpleFlowOptions) {
    super('RadialFlow', options.features);
    const d = this.features;
    const seed = options.seed ?? randomSeed();
    this.center = this.createParameter('center', [d], () =>
      smallUniform([d], d, { seed, stream: 0 }),
    );
    this.alpha = this.createParameter('alpha', [], () => smallUniform([], d, { seed, stream: 1 }));
    this.beta = this.createParameter('beta', [], () => smallUniform([], d, { seed, stream: 2 }));
  }

  get fastDirection(): FlowDirection {
    return 'both';
  }

  override getConfig(): ModuleConfig {
    return { features: this.features };
  }

  /** Rebuilds the layer from {@link RadialFlow.getConfig}'s output (fresh parameters). */
  static fromConfig(config: ModuleConfig, context: BuildContext): RadialFlow {
    return new RadialFlow({
      features: context.read(config, 'RadialFlow').positiveInteger('features'),
    });
  }

  /** log |det dy/dx| at radius r [...batch], with α and α + β = softplus(beta). */
  #logDet(r: tf.Tensor, alpha: tf.Tensor, alphaPlusBeta: tf.Tensor): tf.Tensor {
    const logAlphaR = tf.log(tf.add(alpha, r));
    const radial = tf.sub(tf.log(tf.add(r, alphaPlusBeta)), logAlphaR);
    const along = tf.log(
      tf.add(tf.add(tf.square(r), tf.mul(tf.mul(2, alpha), r)), tf.mul(alpha, alphaPlusBeta)),
    );
    return tf.add(tf.mul(this.features - 1, radial), tf.sub(along, tf.mul(2, logAlphaR)));
  }

  protected computeForward(x: tf.Tensor): FlowForward {
    const alpha = tf.softplus(this.alpha);
    const alphaPlusBeta = tf.softplus(this.beta);
    const diff = tf.sub(x, this.center);
    const r = tf.sqrt(tf.sum(tf.square(diff), -1));
    const gain = tf.div(tf.sub(alphaPlusBeta, alpha), tf.add(alpha, r)); // β / (α + r)
    const y = tf.add(x, tf.mul(tf.expandDims(gain, -1), diff));
    return { y, logDet: this.#logDet(r, alpha, alphaPlusBeta) };
  }

  protected computeInverse(y: tf.Tensor): FlowInverse {
    const alpha = tf.softplus(this.alpha);
    const alphaPlusBeta = tf.softplus(this.beta);
    const diff = tf.sub(y, this.center);
    const ry = tf.sqrt(tf.sum(tf.square(diff), -1));
    // r² + (α + β - ry) r - α ry = 0, the positive root without cancellation.
    const b = tf.sub(alphaPlusBeta, ry);
    const fourAc = tf.mul(tf.mul(4, alpha), ry);
    const sum = tf.add(tf.abs(b), tf.sqrt(tf.add(tf.square(b), fourAc)));
    const r = tf.where(
      tf.greaterEqual(b, 0),
      tf.div(tf.mul(tf.mul(2, alpha), ry), sum),
      tf.mul(sum, 0.5),
    );
    // x - x0 = (y - x0) (α + r) / (r + α + β).
    const shrink = tf.div(tf.add(alpha, r), tf.add(r, alphaPlusBeta));
    const x = tf.add(this.center, tf.mul(tf.expandDims(shrink, -1), diff));
    return { x, logDet: tf.neg(this.#logDet(r, alpha, alphaPlusBeta)) };
  }
}
