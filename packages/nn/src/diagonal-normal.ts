import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal, registerKL } from '@vae/distributions';
import { klNormal, klStandardNormal, randomStandardNormal, tfSeed } from '@vae/divergence';

/**
 * N(loc, diag(exp(logVariance))) over the last axis: `Independent(Normal(loc,
 * exp(logVariance / 2)), 1)` that keeps `loc` and `logVariance`
 * ([...batch, latentDim]), so KL divergences to N(0, I) and to another
 * `DiagonalNormal` have accurate closed forms in the log-variances (registered
 * with `klDivergence`). {@link GaussianEncoder} returns it as q(z | x) and
 * {@link DiagonalGaussianPrior} as p(z). `dispose()` frees loc, logVariance and
 * the scale it derived.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DiagonalNormal } from '@vae/nn';
 * const q = new DiagonalNormal(tf.zeros([2, 3]), tf.zeros([2, 3]));
 * const z = q.rsample(); // [2, 3]
 * z.dispose();
 * q.dispose();
 * ```
 */
export class DiagonalNormal extends Independent {
  /** Means [...batch, latentDim]. */
  readonly loc: tf.Tensor;
  /** Log-variances [...batch, latentDim]. */
  readonly logVariance: tf.Tensor;
  readonly #scale: tf.Tensor;

  /**
   * A diagonal Gaussian from its mean and log-variance; takes ownership of
   * `loc` and `logVariance` (freed by `dispose`).
   *
   * @param loc - The mean [...batch, latentDim].
   * @param logVariance - The log-variance, the same shape as `loc`.
   */
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

/**
 * The standard normal N(0, I) over [latentDim] (batch shape [], event shape
 * [latentDim]): the VAE's default prior. Its KL from a {@link DiagonalNormal} is
 * the registered closed form 1/2 sum(e^v - 1 - v + m^2), accurate where the
 * posterior is close to the prior. `dispose()` frees its zeros.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { klDivergence } from '@vae/distributions';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DiagonalNormal, StandardNormal } from '@vae/nn';
 * const prior = new StandardNormal(2);
 * const q = new DiagonalNormal(tf.tensor2d([[1, 0]]), tf.zeros([1, 2]));
 * const kl = klDivergence(q, prior); // [1]: 0.5 nats
 * tf.dispose([kl]);
 * q.dispose();
 * prior.dispose();
 * ```
 */
export class StandardNormal extends DiagonalNormal {
  /** Event size. */
  readonly latentDim: number;

  /**
   * N(0, I) over `latentDim` dimensions.
   *
   * @param latentDim - The size of z.
   */
  constructor(latentDim: number) {
    super(tf.zeros([latentDim]), tf.zeros([latentDim]));
    this.latentDim = latentDim;
  }

  /**
   * eps ~ N(0, I) itself: 0 + 1 * eps is eps to the bit, and skipping the two
   * broadcast kernels makes `vae.sample` ~0.4 ms (2%) faster at 1024 x 20 on wasm.
   * `seed` is already derived once (by `sample`); the Normal inside derives it again.
   */
  protected override draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return randomStandardNormal(this.extendedShape(sampleShape), tfSeed(seed));
  }
}

/**
 * `n` draws [n, latentDim] of N(0, I) for a user's `seed`, equal to
 * `new StandardNormal(latentDim).sample([n], seed)` without building the distribution.
 */
export function standardNormalDraws(
  n: number,
  latentDim: number,
  seed: number | undefined,
): tf.Tensor {
  // Derived twice, as Distribution.sample and then the Normal inside the Independent do.
  return randomStandardNormal([n, latentDim], tfSeed(tfSeed(seed)));
}

/** KL(N(m, e^v) || N(0, I)) over the last axis: 1/2 sum(e^v - 1 - v + m^2), without cancellation. */
function klToStandard(q: DiagonalNormal): tf.Tensor {
  return klStandardNormal(q.loc, q.logVariance, { validateArgs: false });
}

/** KL(N(m1, e^v1) || N(m2, e^v2)) summed over the last axis, in the log-variance difference. */
function klBetweenDiagonal(p: DiagonalNormal, q: DiagonalNormal): tf.Tensor {
  const perDimension = klNormal(
    { loc: p.loc, logVariance: p.logVariance },
    { loc: q.loc, logVariance: q.logVariance },
    { validateArgs: false },
  );
  return tf.sum(perDimension, -1);
}

registerKL(DiagonalNormal, StandardNormal, (p, _q) => klToStandard(p as DiagonalNormal));
registerKL(DiagonalNormal, DiagonalNormal, (p, q) =>
  klBetweenDiagonal(p as DiagonalNormal, q as DiagonalNormal),
);
