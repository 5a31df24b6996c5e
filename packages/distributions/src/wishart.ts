import * as tf from '@tensorflow/tfjs-core';
import {
  cholesky,
  logDetCholesky,
  matrixDiagPart,
  randomStandardNormal,
  triangularSolve,
} from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { gammaDraw } from './gamma.js';
import type { Constraint } from './internal/constraints.js';
import {
  broadcastBatch,
  broadcastMatMul,
  traceXXt,
  transposeLast,
} from './internal/low-rank-linalg.js';
import { EPS } from './internal/math.js';
import { lowerCholesky, positiveDefinite } from './internal/matrix-constraints.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { broadcastShapes, formatShape, shapesEqual } from './internal/shapes.js';
import { digamma, multivariateLgamma } from './internal/special.js';
import { subSeed } from './internal/special-random.js';
import { registerKL } from './kl-registry.js';

const LOG_2 = Math.LN2;

/**
 * Options of {@link Wishart}: `df` and exactly one of the three forms of the scale matrix.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Wishart, type WishartOptions } from '@vae/distributions';
 *
 * const options: WishartOptions = { df: 4, scaleTril: [[1, 0], [0.5, 2]] };
 * // df L L^T:
 * new Wishart(options).mean().print(); // -> [[4, 2], [2, 17]]
 * ```
 */
export interface WishartOptions extends DistributionOptions {
  /** Degrees of freedom nu `[...batch]`, greater than p - 1. */
  df: ParamLike;
  /** Scale matrix Sigma `[...batch, p, p]`, symmetric positive definite (factored once). */
  covarianceMatrix?: ParamLike;
  /** Sigma^-1 `[...batch, p, p]`, symmetric positive definite (factored once). */
  precisionMatrix?: ParamLike;
  /** Lower Cholesky factor L of Sigma `[...batch, p, p]` (the cheapest form). */
  scaleTril?: ParamLike;
}

/** Cholesky factor of P^-1 from P: with J the flip, L = J (chol(J P J))^-T J (torch's trick). */
function precisionToScaleTril(precision: tf.Tensor): tf.Tensor {
  const p = precision.shape[precision.rank - 1]!;
  const axes = [precision.rank - 2, precision.rank - 1];
  const flipped = cholesky(tf.reverse(precision, axes));
  const identity = tf.broadcastTo(tf.eye(p), flipped.shape);
  return tf.reverse(transposeLast(triangularSolve(flipped, identity)), axes);
}

/** The multivariate digamma sum_{j < p} psi(a - j / 2), `a` `[...]` -> `[...]`. */
function multivariateDigamma(a: tf.Tensor, p: number): tf.Tensor {
  const offsets = tf.mul(tf.range(0, p, 1, 'float32'), -0.5);
  return tf.sum(digamma(tf.add(tf.expandDims(a, -1), offsets)), -1);
}

/**
 * The Wishart distribution over symmetric positive definite p x p matrices, density
 * |X|^((nu - p - 1)/2) e^(-tr(Sigma^-1 X)/2) / (2^(nu p/2) |Sigma|^(nu/2) Gamma_p(nu/2)), batched
 * over `[...batch]` with event shape `[p, p]` (torch's `Wishart`). Give the scale as
 * `scaleTril`, `covarianceMatrix` or `precisionMatrix`. `rsample` is Bartlett's decomposition
 * L A A^T L^T with A_ii = sqrt(chi2(nu - i)) (reparameterized Gamma draws) and N(0, 1) below the
 * diagonal; with nu below p the draws are nearly singular in float32 (torch retries; this does
 * not). `logProb` factors each value with a Cholesky (a non positive definite value throws
 * `NOT_POSITIVE_DEFINITE` when not validating). Mean nu Sigma, variance
 * nu (Sigma_ij^2 + Sigma_ii Sigma_jj), mode (nu - p - 1) Sigma (NaN where nu <= p + 1).
 *
 * `df` (broadcast to the batch) and `scaleTril` (given as a float32 tensor) are borrowed;
 * factors the constructor computes are freed by `dispose()`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Wishart } from '@vae/distributions';
 *
 * const wishart = new Wishart({ df: 5, covarianceMatrix: [[1, 0.5], [0.5, 2]] }); // event [2, 2]
 * const x = wishart.rsample([10], 1); // [10, 2, 2]
 * const logp = wishart.logProb(x); // [10]
 * console.log(x.shape, logp.shape); // -> [ 10, 2, 2 ] [ 10 ]
 * wishart.dispose();
 * ```
 */
export class Wishart extends Distribution {
  /** Degrees of freedom `[...batch]`. */
  readonly df: tf.Tensor;
  /** Lower Cholesky factor of the scale matrix `[...batchOfScale, p, p]` (broadcasts). */
  readonly scaleTril: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `df`, `covarianceMatrix`, `precisionMatrix`, `scaleTril` (see {@link WishartOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: WishartOptions) {
    const scope = new ParamScope('Wishart', options);
    const given = (['scaleTril', 'covarianceMatrix', 'precisionMatrix'] as const).filter(
      (name) => options[name] !== undefined,
    );
    if (given.length !== 1) {
      scope.fail(
        `Wishart: give exactly one of \`scaleTril\`, \`covarianceMatrix\` or \`precisionMatrix\`, got ${given.length === 0 ? 'none' : given.join(', ')}`,
      );
    }
    const form = given[0]!;
    const constraint = form === 'scaleTril' ? lowerCholesky : positiveDefinite;
    const matrix = scope.param(form, options[form], constraint);
    scope.minRank(form, matrix, 2);
    const p = matrix.shape[matrix.rank - 1]!;
    if (matrix.shape[matrix.rank - 2] !== p) {
      scope.fail(
        `Wishart: \`${form}\` must be [...batch, p, p], got shape ${formatShape(matrix.shape)}`,
      );
    }
    const aboveDimension: Constraint = {
      description: `greater than p - 1 = ${p - 1}`,
      check: (x) => tf.logicalAnd(tf.greater(x, p - 1), tf.less(x, Number.POSITIVE_INFINITY)),
    };
    const df = scope.param('df', options.df, aboveDimension);
    const batchShape =
      broadcastShapes([matrix.shape.slice(0, -2), df.shape]) ??
      scope.fail(
        `Wishart: \`df\` ${formatShape(df.shape)} does not broadcast against the batch of \`${form}\` ${formatShape(matrix.shape)}`,
      );
    const scaleTril =
      form === 'scaleTril'
        ? matrix
        : scope.own(
            tf.tidy(() =>
              form === 'covarianceMatrix' ? cholesky(matrix) : precisionToScaleTril(matrix),
            ),
          );
    const fullDf = shapesEqual(df.shape, batchShape)
      ? df
      : scope.own(tf.broadcastTo(df, batchShape));
    super({ batchShape, eventShape: [p, p] }, scope);
    this.df = fullDf;
    this.scaleTril = scaleTril;
  }

  get support(): Constraint {
    return positiveDefinite;
  }

  /** Bartlett's decomposition with reparameterized Gamma draws (implicit gradients to df). */
  override get hasRsample(): boolean {
    return true;
  }

  /** Matrix size p. */
  get dimension(): number {
    return this.eventShape[0]!;
  }

  /** df as `[...batch, 1, 1]`. */
  private dfMatrix(): tf.Tensor {
    return tf.reshape(this.df, [...this.batchShape, 1, 1]);
  }

  /** p log 2 / 2 + sum log diag L, `[...batch]`. */
  private halfLogDetTwoSigma(): tf.Tensor {
    const p = this.dimension;
    return tf.broadcastTo(
      tf.add(tf.mul(logDetCholesky(this.scaleTril), 0.5), (p * LOG_2) / 2),
      this.batchShape,
    );
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const p = this.dimension;
    const chiDf = tf.sub(tf.expandDims(this.df, -1), tf.range(0, p, 1, 'float32')); // [...batch, p]
    const gammas = gammaDraw(tf.mul(chiDf, 0.5), sampleShape, subSeed(seed, 1));
    const diagonal = tf.maximum(tf.sqrt(tf.mul(gammas, 2)), EPS); // sqrt(chi2), [...s, ...batch, p]
    const shape = this.extendedShape(sampleShape);
    const normals = randomStandardNormal(shape, subSeed(seed, 2));
    const strictlyLower = tf.sub(tf.linalg.bandPart(tf.ones([p, p]), -1, 0), tf.eye(p));
    const bartlett = tf.add(
      tf.mul(normals, strictlyLower),
      tf.mul(tf.expandDims(diagonal, -2), tf.eye(p)),
    );
    const factor = broadcastMatMul(this.scaleTril, bartlett); // L A
    return tf.matMul(factor, transposeLast(factor));
  }

  /**
   * -nu (p log 2 / 2 + log|L|) - log Gamma_p(nu / 2) + (nu - p - 1)/2 log|X| - tr(Sigma^-1 X)/2,
   * `[...sample, ...batch]` for `value` `[...sample, ...batch, p, p]`.
   */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const p = this.dimension;
      const root = cholesky(x); // X = M M^T
      const [tril, m] = broadcastBatch(this.scaleTril, root, { a: 2, b: 2 });
      const trace = traceXXt(triangularSolve(tril, m)); // tr(Sigma^-1 X) = ||L^-1 M||^2
      const nu = this.df;
      const normalizer = tf.add(
        tf.mul(nu, this.halfLogDetTwoSigma()),
        multivariateLgamma(tf.mul(nu, 0.5), p),
      );
      const logDet = tf.mul(tf.mul(tf.sub(nu, p + 1), 0.5), logDetCholesky(root));
      return tf.sub(tf.sub(logDet, tf.mul(trace, 0.5)), normalizer);
    });
  }

  /**
   * (p + 1)(p log 2 / 2 + log|L|) + log Gamma_p(nu/2) - (nu - p - 1)/2 psi_p(nu/2) + nu p / 2,
   * `[...batch]`.
   */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.dimension;
      const half = tf.mul(this.df, 0.5);
      const head = tf.add(tf.mul(this.halfLogDetTwoSigma(), p + 1), multivariateLgamma(half, p));
      const spread = tf.mul(tf.mul(tf.sub(this.df, p + 1), 0.5), multivariateDigamma(half, p));
      return tf.add(tf.sub(head, spread), tf.mul(this.df, p / 2));
    });
  }

  /** Sigma = L L^T `[...batch, p, p]`: a new tensor; the caller owns (disposes) it. */
  covarianceMatrix(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.dimension;
      const sigma = tf.matMul(this.scaleTril, transposeLast(this.scaleTril));
      return tf.broadcastTo(sigma, [...this.batchShape, p, p]);
    });
  }

  /** Sigma^-1 `[...batch, p, p]` from L^-1: a new tensor; the caller owns (disposes) it. */
  precisionMatrix(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.dimension;
      const inverse = triangularSolve(
        this.scaleTril,
        tf.broadcastTo(tf.eye(p), this.scaleTril.shape),
      );
      return tf.broadcastTo(tf.matMul(transposeLast(inverse), inverse), [...this.batchShape, p, p]);
    });
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => tf.mul(this.dfMatrix(), this.covarianceMatrix()));
  }

  /**
   * (nu - p - 1) Sigma where nu > p + 1; NaN elsewhere (as torch). A new tensor; the caller owns
   * (disposes) it.
   */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const factor = tf.sub(this.dfMatrix(), this.dimension + 1);
      const defined = tf.where(tf.greater(factor, 0), factor, tf.fill(factor.shape, Number.NaN));
      return tf.mul(defined, this.covarianceMatrix());
    });
  }

  /**
   * nu (Sigma_ij^2 + Sigma_ii Sigma_jj) `[...batch, p, p]`. A new tensor; the caller owns
   * (disposes) it.
   */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const sigma = this.covarianceMatrix();
      const diagonal = matrixDiagPart(sigma);
      const outer = tf.mul(tf.expandDims(diagonal, -1), tf.expandDims(diagonal, -2));
      return tf.mul(this.dfMatrix(), tf.add(tf.square(sigma), outer));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Wishart {
    return new Wishart({
      df: map.param(this.df),
      scaleTril: map.param(this.scaleTril, 2, { broadcasts: true }),
      validateArgs: this.validateArgs,
    });
  }
}

/**
 * KL(W(nu_p, Sigma_p) || W(nu_q, Sigma_q)) = -H(p) - E_p[log q(X)], with
 * E_p[log|X|] = psi_p(nu_p / 2) + p log 2 + log|Sigma_p| and E_p[X] = nu_p Sigma_p, `[...batch]`
 * (torch computes the same value through its exponential-family Bregman divergence).
 */
export function klWishartWishart(p: Wishart, q: Wishart): tf.Tensor {
  const dim = p.dimension;
  const nuP = p.df;
  const nuQ = q.df;
  const [qTril, pTril] = broadcastBatch(q.scaleTril, p.scaleTril, { a: 2, b: 2 });
  const trace = traceXXt(triangularSolve(qTril, pTril)); // tr(Sigma_q^-1 Sigma_p)
  const expectedLogDet = tf.add(
    tf.add(multivariateDigamma(tf.mul(nuP, 0.5), dim), dim * LOG_2),
    logDetCholesky(p.scaleTril),
  );
  const qHalfLogDet = tf.add(tf.mul(logDetCholesky(q.scaleTril), 0.5), (dim * LOG_2) / 2);
  const qNormalizer = tf.add(tf.mul(nuQ, qHalfLogDet), multivariateLgamma(tf.mul(nuQ, 0.5), dim));
  const crossEntropy = tf.add(
    tf.sub(qNormalizer, tf.mul(tf.mul(tf.sub(nuQ, dim + 1), 0.5), expectedLogDet)),
    tf.mul(tf.mul(nuP, trace), 0.5),
  );
  return tf.sub(crossEntropy, p.entropy());
}

registerKL(Wishart, Wishart, klWishartWishart);
