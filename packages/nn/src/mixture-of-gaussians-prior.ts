import * as tf from '@tensorflow/tfjs-core';
import { Categorical, type Distribution, MixtureSameFamily } from '@vae/distributions';
import { ensureArgument, randomStandardNormal, tfSeed } from '@vae/divergence';
import { DiagonalNormal } from './diagonal-normal.js';
import { owning } from './internal/own.js';
import { randomSeed } from './internal/seed.js';
import { Prior } from './prior.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * Options of {@link MixtureOfGaussiansPrior}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { MixtureOfGaussiansPriorOptions } from '@vae/nn';
 * const options: MixtureOfGaussiansPriorOptions = { latentDim: 2, components: 10, seed: 1 };
 * ```
 */
export interface MixtureOfGaussiansPriorOptions {
  /** The size of z. */
  latentDim: number;
  /** Number of mixture components K. */
  components: number;
  /** Seed of the initial component means (N(0, I) draws); random if omitted. */
  seed?: number;
}

/**
 * A learnable mixture of K diagonal Gaussians, p(z) = sum_k pi_k N(loc_k,
 * diag(exp(logVariance_k))), with parameters `logits` [K] (the weights pi =
 * softmax(logits), starting uniform), `loc` [K, latentDim] (starting at seeded
 * N(0, I) draws) and `logVariance` [K, latentDim] (starting at 0). Its KL from
 * a posterior has no closed form: the ELBO estimates it by Monte Carlo.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { MixtureOfGaussiansPrior } from '@vae/nn';
 * const prior = new MixtureOfGaussiansPrior({ latentDim: 2, components: 10, seed: 1 });
 * const z = prior.sample(5, { seed: 2 }); // [5, 2]
 * z.dispose();
 * ```
 */
export class MixtureOfGaussiansPrior extends Prior {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'MixtureOfGaussiansPrior';
  /** The number of components K. */
  readonly components: number;
  /** Unnormalized log weights [K]. */
  readonly logits: tf.Variable;
  /** Component means [K, latentDim]. */
  readonly loc: tf.Variable;
  /** Component log-variances [K, latentDim]. */
  readonly logVariance: tf.Variable;

  /**
   * A learned mixture of diagonal Gaussians as the prior.
   *
   * @param options - `latentDim`, `components` and seed; see {@link MixtureOfGaussiansPriorOptions}.
   */
  constructor(options: MixtureOfGaussiansPriorOptions) {
    super(options.latentDim, 'MixtureOfGaussiansPrior');
    const { components } = options;
    ensureArgument(
      Number.isInteger(components) && components > 0,
      () => `MixtureOfGaussiansPrior: \`components\` must be a positive integer, got ${components}`,
    );
    this.components = components;
    const seed = options.seed ?? randomSeed();
    const shape = [components, this.latentDim];
    this.logits = this.createParameter('logits', [components], () => tf.zeros([components]));
    this.loc = this.createParameter('loc', shape, () => randomStandardNormal(shape, tfSeed(seed)));
    this.logVariance = this.createParameter('logVariance', shape, () => tf.zeros(shape));
  }

  distribution(): Distribution {
    const logits = tf.clone(this.logits);
    const mixture = new Categorical({ logits, validateArgs: false });
    const components = new DiagonalNormal(tf.clone(this.loc), tf.clone(this.logVariance));
    const p = new MixtureSameFamily({ mixture, components, validateArgs: false });
    return owning(p, [mixture, components, logits]);
  }

  override getConfig(): ModuleConfig {
    return { latentDim: this.latentDim, components: this.components };
  }

  /** Rebuilds the prior from {@link MixtureOfGaussiansPrior.getConfig}'s output (fresh parameters). */
  static fromConfig(config: ModuleConfig, context: BuildContext): MixtureOfGaussiansPrior {
    const read = context.read(config, 'MixtureOfGaussiansPrior');
    return new MixtureOfGaussiansPrior({
      latentDim: read.positiveInteger('latentDim'),
      components: read.positiveInteger('components'),
    });
  }
}
