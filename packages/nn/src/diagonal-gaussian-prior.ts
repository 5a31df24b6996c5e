import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { DiagonalNormal } from './diagonal-normal.js';
import { Prior } from './prior.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * A learnable diagonal Gaussian prior p(z) = N(loc, diag(exp(logVariance))),
 * parameters `loc` and `logVariance` [latentDim] starting at N(0, I). Its
 * distribution is a {@link DiagonalNormal}; the KL from a diagonal Gaussian
 * posterior has a registered closed form.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { DiagonalGaussianPrior } from '@vae/nn';
 * const prior = new DiagonalGaussianPrior({ latentDim: 8 });
 * prior.namedParameters().map(([name]) => name); // ['loc', 'logVariance']
 * ```
 */
export class DiagonalGaussianPrior extends Prior {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'DiagonalGaussianPrior';
  /** Means [latentDim]. */
  readonly loc: tf.Variable;
  /** Log-variances [latentDim]. */
  readonly logVariance: tf.Variable;

  /**
   * A learned diagonal Gaussian prior, initialized to N(0, I).
   *
   * @param options - `latentDim`, the size of z.
   */
  constructor(options: { latentDim: number }) {
    super(options.latentDim, 'DiagonalGaussianPrior');
    const shape = [this.latentDim];
    this.loc = this.createParameter('loc', shape, () => tf.zeros(shape));
    this.logVariance = this.createParameter('logVariance', shape, () => tf.zeros(shape));
  }

  distribution(): Distribution {
    // Copies (tape-recorded, so gradients reach the variables), owned by the distribution.
    return new DiagonalNormal(tf.clone(this.loc), tf.clone(this.logVariance));
  }

  override getConfig(): ModuleConfig {
    return { latentDim: this.latentDim };
  }

  /** Rebuilds the prior from {@link DiagonalGaussianPrior.getConfig}'s output (fresh parameters). */
  static fromConfig(config: ModuleConfig, context: BuildContext): DiagonalGaussianPrior {
    const read = context.read(config, 'DiagonalGaussianPrior');
    return new DiagonalGaussianPrior({ latentDim: read.positiveInteger('latentDim') });
  }
}
