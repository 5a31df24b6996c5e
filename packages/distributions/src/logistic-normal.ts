import * as tf from '@tensorflow/tfjs-core';
import { StickBreaking } from './bijectors/stick-breaking.js';
import { parseLocScale } from './internal/loc-scale.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { Normal } from './normal.js';
import { TransformedDistribution } from './transformed-distribution.js';

/**
 * Options of {@link LogisticNormal}: `loc` and `scale` `[..., K - 1]` of the Normal in
 * unconstrained space (a scalar pair gives K = 2).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { LogisticNormal, type LogisticNormalOptions } from '@vae/distributions';
 *
 * const options: LogisticNormalOptions = { loc: [0, 0, 0], scale: 1 };
 * // K = 4:
 * console.log(new LogisticNormal(options).eventShape); // -> [ 4 ]
 * ```
 */
export interface LogisticNormalOptions extends DistributionOptions {
  /** Mean of the underlying Normal, `[..., K - 1]` for K categories, any real. */
  loc: ParamLike;
  /** Standard deviation of the underlying Normal, positive, broadcast against `loc`. */
  scale: ParamLike;
}

/**
 * The logistic-normal distribution on the simplex (torch's `LogisticNormal`): a Normal of batch
 * `[..., K - 1]` through `StickBreaking`, batch shape `[...]`, event shape `[K]`. A
 * reparameterizable alternative to the Dirichlet (Atchison and Shen 1980); `rsample` is
 * `StickBreaking(loc + scale * eps)`. `base` is the Normal, sharing `loc` and `scale`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { LogisticNormal } from '@vae/distributions';
 *
 * const topics = new LogisticNormal({ loc: [0, 1], scale: [1, 0.5] }); // event [3]
 * const theta = topics.rsample([5], 7); // [5, 3], rows sum to 1
 * const logp = topics.logProb(theta); // [5]
 * tf.sum(theta, -1).print(); // -> [1, 1, 1, 1, 1]
 * console.log(logp.shape); // -> [ 5 ]
 * topics.dispose();
 * ```
 */
export class LogisticNormal extends TransformedDistribution {
  /** The `loc` of the underlying Normal as a float32 tensor, `[...batch, K - 1]`. */
  readonly loc: tf.Tensor;
  /** The `scale` of the underlying Normal as a float32 tensor, `[...batch, K - 1]`. */
  readonly scale: tf.Tensor;
  /** N(loc, scale^2) `[..., K - 1]`, borrowing `loc` and `scale`. */
  declare readonly base: Normal;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `scale` (see {@link LogisticNormalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: LogisticNormalOptions) {
    const scope = new ParamScope('LogisticNormal', options);
    let { loc, scale } = parseLocScale(scope, options);
    if (loc.rank === 0) {
      loc = scope.own(tf.reshape(loc, [1]));
      scale = scope.own(tf.reshape(scale, [1]));
    }
    super(new Normal({ loc, scale, validateArgs: false }), new StickBreaking(), scope);
    this.loc = loc;
    this.scale = scale;
  }
}
