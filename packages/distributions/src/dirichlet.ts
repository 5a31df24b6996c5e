import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { gammaDraw } from './gamma.js';
import { type Constraint, positive } from './internal/constraints.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { digamma, lgamma, xlogy } from './internal/special.js';
import { registerKL } from './kl-registry.js';

/** Options of {@link Dirichlet}. */
export interface DirichletOptions extends DistributionOptions {
  /** `[...batch, K]` positive concentrations alpha; the last axis is the event (K >= 1). */
  concentration: ParamLike;
}

const TINY = 1.1754943508222875e-38;

/** Non-negative vectors whose last axis sums to 1 within float32 rounding (1e-5 per entry). */
export const simplex: Constraint = {
  description: 'on the probability simplex (non-negative, summing to 1 along the last axis)',
  eventRank: 1,
  check: (x) => {
    const size = x.shape[x.rank - 1] ?? 1;
    const sumsToOne = tf.lessEqual(tf.abs(tf.sub(tf.sum(x, -1), 1)), 1e-5 * Math.max(size, 1));
    return tf.logicalAnd(tf.all(tf.greaterEqual(x, 0), -1), sumsToOne);
  },
};

/**
 * The Dirichlet distribution over the probability simplex of dimension K, density
 * prod x_k^(alpha_k - 1) / B(alpha), batched over `concentration`'s leading axes: batch shape
 * `[...batch]`, event shape `[K]`. Samples normalize independent Gamma(alpha_k) draws; `rsample`
 * differentiates through them (implicit reparameterization of the Gamma draws).
 *
 * `concentration` is borrowed: do not dispose it while the distribution is in use.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Dirichlet } from '@vae/distributions';
 *
 * const dirichlet = new Dirichlet({ concentration: [[1, 1, 1], [10, 5, 1]] }); // batch [2], event [3]
 * const x = dirichlet.sample([50], 11); // [50, 2, 3], rows sum to 1
 * const logp = dirichlet.logProb(x); // [50, 2]
 * console.log(x.shape, logp.shape); // -> [ 50, 2, 3 ] [ 50, 2 ]
 * dirichlet.dispose();
 * ```
 */
export class Dirichlet extends Distribution {
  /** The `concentration` parameter as a float32 tensor, `[...batch, K]`. */
  readonly concentration: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `concentration` (see {@link DirichletOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: DirichletOptions) {
    const scope = new ParamScope('Dirichlet', options);
    const concentration = scope.param('concentration', options.concentration, positive);
    scope.minRank('concentration', concentration, 1);
    super(
      {
        batchShape: concentration.shape.slice(0, -1),
        eventShape: concentration.shape.slice(-1),
      },
      scope,
    );
    this.concentration = concentration;
  }

  get support(): Constraint {
    return simplex;
  }

  /** Reparameterized through the Gamma draws (implicit reparameterization). */
  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const gammas = gammaDraw(this.concentration, sampleShape, seed);
    const normalized = tf.div(gammas, tf.sum(gammas, -1, true));
    return tf.clipByValue(normalized, TINY, 1);
  }

  /** sum_k (alpha_k - 1) log x_k + lgamma(sum alpha) - sum lgamma(alpha_k). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const alpha = this.concentration;
      const body = tf.sum(xlogy(tf.sub(alpha, 1), x), -1);
      return tf.add(body, tf.neg(logMultivariateBeta(alpha)));
    });
  }

  /** log B(alpha) + (alpha_0 - K) psi(alpha_0) - sum (alpha_k - 1) psi(alpha_k). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const alpha = this.concentration;
      const k = alpha.shape[alpha.rank - 1]!;
      const total = tf.sum(alpha, -1);
      const spread = tf.sum(tf.mul(tf.sub(alpha, 1), digamma(alpha)), -1);
      return tf.sub(
        tf.add(logMultivariateBeta(alpha), tf.mul(tf.sub(total, k), digamma(total))),
        spread,
      );
    });
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => tf.div(this.concentration, tf.sum(this.concentration, -1, true)));
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const alpha = this.concentration;
      const total = tf.sum(alpha, -1, true);
      return tf.div(
        tf.mul(alpha, tf.sub(total, alpha)),
        tf.mul(tf.square(total), tf.add(total, 1)),
      );
    });
  }

  /**
   * (alpha - 1) / (alpha_0 - K) where every alpha_k > 1; as torch, entries below 1 count as 1,
   * and where all are below 1 the mode is the vertex of the largest alpha.
   * A new tensor; the caller owns (disposes) it.
   */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const alpha = this.concentration;
      const shifted = tf.relu(tf.sub(alpha, 1));
      const interior = tf.div(shifted, tf.sum(shifted, -1, true));
      const allBelow = tf.all(tf.less(alpha, 1), -1, true);
      const k = alpha.shape[alpha.rank - 1]!;
      const vertex = tf.cast(tf.oneHot(tf.argMax(alpha, -1), k), 'float32');
      return tf.where(tf.broadcastTo(allBelow, alpha.shape), vertex, interior);
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Dirichlet {
    return new Dirichlet({
      concentration: map.param(this.concentration, 1),
      validateArgs: this.validateArgs,
    });
  }
}

/** log B(alpha) = sum lgamma(alpha_k) - lgamma(sum alpha) over the last axis. */
function logMultivariateBeta(alpha: tf.Tensor): tf.Tensor {
  return tf.sub(tf.sum(lgamma(alpha), -1), lgamma(tf.sum(alpha, -1)));
}

/** KL(Dir(alpha) || Dir(beta)) in closed form, `[...batch]`. */
export function klDirichletDirichlet(p: Dirichlet, q: Dirichlet): tf.Tensor {
  const pSum = tf.sum(p.concentration, -1, true);
  const t1 = tf.sub(logMultivariateBeta(q.concentration), logMultivariateBeta(p.concentration));
  const spread = tf.mul(
    tf.sub(p.concentration, q.concentration),
    tf.sub(digamma(p.concentration), digamma(pSum)),
  );
  return tf.add(t1, tf.sum(spread, -1));
}

registerKL(Dirichlet, Dirichlet, klDirichletDirichlet);
