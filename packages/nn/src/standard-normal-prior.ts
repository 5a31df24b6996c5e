import type * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { StandardNormal, standardNormalDraws } from './diagonal-normal.js';
import { Prior } from './prior.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * The fixed prior p(z) = N(0, I) of the classic VAE. No parameters. Its
 * distribution is a {@link StandardNormal}, whose KL from a diagonal Gaussian
 * posterior has a registered closed form.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { StandardNormalPrior } from '@vae/nn';
 * const prior = new StandardNormalPrior({ latentDim: 20 });
 * const p = prior.distribution(); // batch [], event [20]
 * p.dispose();
 * ```
 */
export class StandardNormalPrior extends Prior {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'StandardNormalPrior';

  /**
   * The fixed prior N(0, I).
   *
   * @param options - `latentDim`, the size of z.
   */
  constructor(options: { latentDim: number }) {
    super(options.latentDim, 'StandardNormalPrior');
  }

  distribution(): Distribution {
    return new StandardNormal(this.latentDim);
  }

  /** N(0, I) draws without building the distribution (the same numbers as building it). */
  protected override draw(n: number, seed: number | undefined): tf.Tensor {
    return standardNormalDraws(n, this.latentDim, seed);
  }

  override getConfig(): ModuleConfig {
    return { latentDim: this.latentDim };
  }

  /** Rebuilds the prior from {@link StandardNormalPrior.getConfig}'s output. */
  static fromConfig(config: ModuleConfig, context: BuildContext): StandardNormalPrior {
    const read = context.read(config, 'StandardNormalPrior');
    return new StandardNormalPrior({ latentDim: read.positiveInteger('latentDim') });
  }
}
