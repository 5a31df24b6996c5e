import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { checkSeed, ensureArgument } from '@vae/divergence';
import type { Encoder } from './encoder.js';
import { Module } from './module.js';

/**
 * Base of the priors p(z) over [latentDim]: a module (its parameters, if any,
 * train and save with the VAE) that builds its distribution from the current
 * parameters, so gradients flow to them. `call(z)` is log p(z): z
 * [...batch, latentDim] -> [...batch].
 *
 * The ELBO's KL(q(z | x) || p(z)) goes through `klDivergence`: a closed form
 * where one is registered for the pair of classes, Monte Carlo otherwise.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { StandardNormalPrior } from '@vae/nn';
 * const prior = new StandardNormalPrior({ latentDim: 2 });
 * const logDensity = prior.apply(tf.zeros([3, 2])); // [3]: -log(2 pi) each
 * const z = prior.sample(4, { seed: 0 }); // [4, 2]
 * tf.dispose([logDensity, z]);
 * ```
 */
export abstract class Prior extends Module {
  /** Size of z. */
  readonly latentDim: number;

  /**
   * Called by subclasses with the latent size and their name.
   *
   * @param latentDim - The size of z.
   * @param owner - The subclass name, used in error messages.
   */
  constructor(latentDim: number, owner: string) {
    super();
    ensureArgument(
      Number.isInteger(latentDim) && latentDim > 0,
      () => `${owner}: \`latentDim\` must be a positive integer, got ${latentDim}`,
    );
    this.latentDim = latentDim;
  }

  /** p(z): batch shape [], event shape [latentDim]. The caller owns it (`dispose()`). */
  abstract distribution(): Distribution;

  /**
   * Called by the VAE with its encoder. Priors defined through the encoder
   * (VampPrior) keep it; the others ignore it.
   */
  bindEncoder(_encoder: Encoder): void {}

  /** log p(z): z [...batch, latentDim] -> [...batch]; the caller owns it. */
  call(z: tf.Tensor): tf.Tensor {
    const p = this.distribution();
    try {
      return p.logProb(z);
    } finally {
      p.dispose();
    }
  }

  /** `n` draws z ~ p(z): [n, latentDim], no gradient. The same seed gives the same draws. */
  sample(n: number, options: { seed?: number } = {}): tf.Tensor {
    ensureArgument(
      Number.isInteger(n) && n > 0,
      () => `${this.constructor.name}.sample: \`n\` must be a positive integer, got ${n}`,
    );
    checkSeed(`${this.constructor.name}.sample`, options.seed);
    return this.draw(n, options.seed);
  }

  /**
   * {@link Prior.sample}'s draws once its arguments are checked: `n` draws of
   * {@link Prior.distribution} with the user's `seed`. A prior with a cheaper sampler
   * overrides it and must draw the same numbers for the same seed.
   */
  protected draw(n: number, seed: number | undefined): tf.Tensor {
    return tf.tidy(() => {
      const p = this.distribution();
      try {
        return p.sample([n], seed);
      } finally {
        p.dispose();
      }
    });
  }
}
