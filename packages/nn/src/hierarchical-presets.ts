import { ensureArgument } from '@vae/divergence';
import { Activation, type ActivationName } from './activation.js';
import { GaussianEncoder } from './gaussian-encoder.js';
import { HierarchicalEncoder } from './hierarchical-encoder.js';
import { HierarchicalPrior } from './hierarchical-prior.js';
import { heUniform } from './initializers.js';
import type { Likelihood, PriorChoice } from './internal/preset-config.js';
import { deriveSeed, randomSeed } from './internal/seed.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { Narrow } from './narrow.js';
import { decoderFor, priorFor } from './presets.js';
import { Flatten } from './reshape.js';
import { Sequential } from './sequential.js';
import { VAE } from './vae.js';

/**
 * Options of {@link hierarchicalVAE}; every field is optional.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { HierarchicalVaeOptions } from '@vae/nn';
 * const options: HierarchicalVaeOptions = { latentDims: [100, 50], prior: { kind: 'vamp', components: 500 }, seed: 1 };
 * ```
 */
export interface HierarchicalVaeOptions {
  /** Shape of one example; default [784]. */
  inputShape?: number[];
  /**
   * Widths of the deterministic layers of each level: `[x <-> z1, z1 <-> z2]`,
   * default `[[200, 200], [100, 100]]` (Burda et al. 2016). The generative
   * networks mirror the inference ones.
   */
  hidden?: [number[], number[]];
  /** Sizes of z1 and z2; default [100, 50]. */
  latentDims?: [number, number];
  /** Default 'tanh' (as Burda et al.). */
  activation?: ActivationName;
  /** p(x | z1); default 'bernoulli'. */
  likelihood?: Likelihood;
  /** Gaussian likelihood: 'learned' (default) or a fixed variance. */
  variance?: 'learned' | number;
  /** The prior p(z2) of the top level; default 'standard-normal'. */
  prior?: PriorChoice;
  /** Seed of every initial weight; random if omitted (seed 0 is a seed). */
  seed?: number;
}

/** Burda et al.'s defaults, every option resolved. */
interface Resolved {
  inputShape: number[];
  hidden: [number[], number[]];
  latentDims: [number, number];
  activation: ActivationName;
  likelihood: Likelihood;
  variance?: 'learned' | number;
  prior: PriorChoice;
}

function resolve(options: HierarchicalVaeOptions): Resolved {
  const resolved: Resolved = {
    inputShape: [...(options.inputShape ?? [784])],
    hidden: [[...(options.hidden?.[0] ?? [200, 200])], [...(options.hidden?.[1] ?? [100, 100])]],
    latentDims: [options.latentDims?.[0] ?? 100, options.latentDims?.[1] ?? 50],
    activation: options.activation ?? 'tanh',
    likelihood: options.likelihood ?? 'bernoulli',
    ...(options.likelihood === 'gaussian' ? { variance: options.variance ?? 'learned' } : {}),
    prior: options.prior ?? 'standard-normal',
  };
  const sizes = [...resolved.inputShape, ...resolved.latentDims, ...resolved.hidden.flat()];
  ensureArgument(
    resolved.inputShape.length > 0 &&
      resolved.hidden.every((level) => level.length > 0) &&
      sizes.every((d) => Number.isInteger(d) && d > 0),
    () =>
      `hierarchicalVAE: \`inputShape\`, \`hidden\` (two non-empty lists) and \`latentDims\` must hold positive integers, got ${JSON.stringify(
        { inputShape: options.inputShape, hidden: options.hidden, latentDims: options.latentDims },
      )}`,
  );
  return resolved;
}

/**
 * A VAE with two stochastic layers, as in Burda et al. (2016): the inference
 * network x -> 2 deterministic layers -> z1 -> 2 deterministic layers -> z2
 * (a {@link HierarchicalEncoder}), the generative model p(z2) p(z1 | z2) p(x | z1)
 * (a {@link HierarchicalPrior} and a decoder that reads z1 through
 * {@link Narrow}). The joint latent is z = [z1, z2] ([batch, d1 + d2]), so
 * `elbo`, `iwae` and `logLikelihood` of `@vae/elbo` work on it unchanged (the
 * KL by Monte Carlo), and it saves and loads like any `VAE`. The top prior
 * `prior` may be any {@link PriorChoice}, a VampPrior over z2 included.
 *
 * Defaults are Burda et al.'s MNIST architecture: 784-200-200-100 and
 * 100-100-100-50, tanh units, a Bernoulli likelihood and N(0, I) on z2.
 *
 * @param options - The architecture; every field has a default, see {@link HierarchicalVaeOptions}.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { hierarchicalVAE } from '@vae/nn';
 * const model = hierarchicalVAE({ seed: 1 }); // Burda et al.'s 2-layer model
 * model.latentDim; // 150: z = [z1 (100), z2 (50)]
 * const images = model.sample(4, { seed: 2 }); // [4, 784]: ancestral samples
 * images.dispose();
 * model.dispose();
 * ```
 */
export function hierarchicalVAE(options: HierarchicalVaeOptions = {}): VAE {
  const config = resolve(options);
  const seed = options.seed ?? randomSeed();
  const [d1, d2] = config.latentDims;
  const [outer, inner] = config.hidden;
  const vamp = typeof config.prior === 'object' && config.prior.kind === 'vamp';
  const inFeatures = config.inputShape.reduce((a, b) => a * b, 1);
  const relu = config.activation === 'relu' || config.activation === 'leakyRelu';
  let next = 0;
  /** Dense layers through `widths`, each followed by the activation. */
  const mlp = (widths: number[], options: { first?: boolean } = {}): Module[] => {
    const layers: Module[] = [];
    for (let i = 1; i < widths.length; i++) {
      layers.push(
        new Linear({
          inFeatures: widths[i - 1]!,
          outFeatures: widths[i]!,
          seed: deriveSeed(seed, next++),
          ...(relu ? { init: heUniform } : {}),
          // A first layer fed with data skips its input gradient unless a
          // VampPrior's pseudo-inputs learn through it.
          ...(options.first === true && i === 1 && !vamp ? { inputGradient: false } : {}),
        }),
        new Activation(config.activation),
      );
    }
    return layers;
  };
  const gaussian = (layers: Module[], features: number, latentDim: number) =>
    new GaussianEncoder({
      body: new Sequential(layers),
      features,
      latentDim,
      seed: deriveSeed(seed, 1000 + next++),
    });
  const flatten: Module[] = config.inputShape.length > 1 ? [new Flatten()] : [];
  const encoder = new HierarchicalEncoder({
    bottom: gaussian(
      [...flatten, ...mlp([inFeatures, ...outer], { first: true })],
      outer.at(-1)!,
      d1,
    ),
    top: gaussian(mlp([d1, ...inner]), inner.at(-1)!, d2),
  });
  const prior = new HierarchicalPrior({
    top: priorFor(
      { latentDim: d2, prior: config.prior, inputShape: config.inputShape },
      deriveSeed(seed, 2000),
    ),
    conditional: gaussian(mlp([d2, ...[...inner].reverse()]), inner[0]!, d1),
  });
  const decoderLayers = [
    new Narrow({ start: 0, length: d1 }),
    ...mlp([d1, ...[...outer].reverse()]),
    new Linear({ inFeatures: outer[0]!, outFeatures: inFeatures, seed: deriveSeed(seed, next++) }),
  ];
  const decoder = decoderFor(
    {
      inputShape: config.inputShape,
      likelihood: config.likelihood,
      ...(config.variance === undefined ? {} : { variance: config.variance }),
    },
    new Sequential(decoderLayers),
  );
  return new VAE({ encoder, decoder, prior });
}
