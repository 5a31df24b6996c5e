import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';

/**
 * The diagonal Gaussian q(z | x) = Independent(Normal(loc, exp(logVariance / 2)), 1)
 * that {@link GaussianEncoder} returns, keeping `loc` and `logVariance`
 * ([...batch, latentDim]) so the ELBO can use the closed-form KL to N(0, I).
 * `dispose()` frees loc, logVariance and the scale it derived.
 *
 * @example
 * ```ts
 * const q = new DiagonalNormalPosterior(tf.zeros([2, 3]), tf.zeros([2, 3]));
 * q.rsample().shape; // [2, 3]
 * q.dispose();
 * ```
 */
export class DiagonalNormalPosterior extends Independent {
  /** Posterior means [...batch, latentDim]. */
  readonly loc: tf.Tensor;
  /** Posterior log-variances [...batch, latentDim]. */
  readonly logVariance: tf.Tensor;
  readonly #scale: tf.Tensor;

  /** Takes ownership of `loc` and `logVariance` (freed by `dispose`). */
  constructor(loc: tf.Tensor, logVariance: tf.Tensor) {
    const scale = tf.tidy(() => tf.exp(tf.mul(logVariance, 0.5)));
    super(new Normal({ loc, scale, validateArgs: false }), 1, { validateArgs: false });
    this.loc = loc;
    this.logVariance = logVariance;
    this.#scale = scale;
  }

  override dispose(): void {
    super.dispose();
    this.base.dispose();
    tf.dispose([this.loc, this.logVariance, this.#scale]);
  }
}
