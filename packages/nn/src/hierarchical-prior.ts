import { ensureArgument } from '@vae/divergence';
import { Encoder } from './encoder.js';
import { HierarchicalDistribution } from './hierarchical-distribution.js';
import { HierarchicalEncoder } from './hierarchical-encoder.js';
import { Prior } from './prior.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * Options of {@link HierarchicalPrior}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { GaussianEncoder, type HierarchicalPriorOptions, Linear, StandardNormalPrior } from '@vae/nn';
 * const options: HierarchicalPriorOptions = {
 *   top: new StandardNormalPrior({ latentDim: 2 }),
 *   conditional: new GaussianEncoder({ body: new Linear({ inFeatures: 2, outFeatures: 8, seed: 1 }), features: 8, latentDim: 4, seed: 2 }),
 * };
 * ```
 */
export interface HierarchicalPriorOptions {
  /** p(z2): any prior (standard normal, learned, mixture, VampPrior, ...). */
  top: Prior;
  /**
   * z2 [n, top.latentDim] -> p(z1 | z2), event [latentDim of z1]: any
   * {@link Encoder} (a module mapping its input to a distribution), typically a
   * {@link GaussianEncoder} fed with z2.
   */
  conditional: Encoder;
}

/**
 * The generative prior of a two-stochastic-layer VAE (Burda et al. 2016):
 * p(z) = p(z2) p(z1 | z2) over the joint latent z = [z1, z2] ([d1 + d2]), a
 * {@link HierarchicalDistribution} with batch shape []. Children `top` (the
 * prior over z2) and `conditional` (the network z2 -> p(z1 | z2)) train and
 * save with the VAE. `sample(n)` is ancestral: z2 ~ p(z2), then z1 ~ p(z1 | z2).
 *
 * Bound to a VAE whose encoder is a {@link HierarchicalEncoder}, the top prior
 * is bound to {@link HierarchicalEncoder.topPath}: a VampPrior over z2 is then
 * p(z2) = (1/K) sum_k q(z2 | E[z1 | u_k]) over learned pseudo-inputs u_k.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { GaussianEncoder, HierarchicalPrior, Linear, StandardNormalPrior } from '@vae/nn';
 * const prior = new HierarchicalPrior({
 *   top: new StandardNormalPrior({ latentDim: 2 }),
 *   conditional: new GaussianEncoder({
 *     body: new Linear({ inFeatures: 2, outFeatures: 8, seed: 1 }),
 *     features: 8,
 *     latentDim: 4,
 *     seed: 2,
 *   }),
 * });
 * const z = prior.sample(3, { seed: 0 }); // [3, 6] = [z1 (4), z2 (2)]
 * const logDensity = prior.apply(z); // [3]: log p(z2) + log p(z1 | z2)
 * z.dispose();
 * logDensity.dispose();
 * prior.dispose();
 * ```
 */
export class HierarchicalPrior extends Prior {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'HierarchicalPrior';
  /** p(z2). */
  readonly top: Prior;
  /** p(z1 | z2). */
  readonly conditional: Encoder;

  /**
   * A two-level prior, p(z2) p(z1 | z2).
   *
   * @param options - The `top` prior and the `conditional` encoder; see {@link HierarchicalPriorOptions}.
   */
  constructor(options: HierarchicalPriorOptions) {
    const { top, conditional } = options;
    ensureArgument(
      top instanceof Prior && conditional instanceof Encoder,
      () => 'HierarchicalPrior: `top` must be a Prior and `conditional` an Encoder',
    );
    super(top.latentDim + conditional.latentDim, 'HierarchicalPrior');
    this.top = this.addModule('top', top);
    this.conditional = this.addModule('conditional', conditional);
  }

  /** p(z2) p(z1 | z2): batch [], event [d1 + d2]; the caller owns it. */
  distribution(): HierarchicalDistribution {
    return new HierarchicalDistribution({
      root: this.top.distribution(),
      conditional: (z2) => this.conditional.call(z2),
      conditionalDim: this.conditional.latentDim,
      rootPosition: 'last',
    });
  }

  /** Binds the top prior to the encoder's path to z2 (see the class docs). */
  override bindEncoder(encoder: Encoder): void {
    if (encoder instanceof HierarchicalEncoder) {
      ensureArgument(
        encoder.bottom.latentDim === this.conditional.latentDim &&
          encoder.top.latentDim === this.top.latentDim,
        () =>
          `HierarchicalPrior: the encoder's levels [${encoder.bottom.latentDim}, ${encoder.top.latentDim}] differ from the prior's [${this.conditional.latentDim}, ${this.top.latentDim}]`,
      );
      this.top.bindEncoder(encoder.topPath());
    }
  }

  override getConfig(): ModuleConfig {
    return { top: this.top.spec(), conditional: this.conditional.spec() };
  }

  /** Rebuilds the prior from {@link HierarchicalPrior.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): HierarchicalPrior {
    const read = context.read(config, 'HierarchicalPrior');
    return new HierarchicalPrior({
      top: context.build(read.value('top'), 'HierarchicalPrior.top', Prior),
      conditional: context.build(
        read.value('conditional'),
        'HierarchicalPrior.conditional',
        Encoder,
      ),
    });
  }
}
