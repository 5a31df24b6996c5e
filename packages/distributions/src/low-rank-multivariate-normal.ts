import * as tf from '@tensorflow/tfjs-core';
import { cholesky, logDetCholesky, randomStandardNormal, triangularSolve } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, finiteReal, positive, real } from './internal/constraints.js';
import {
  broadcastBatch,
  broadcastMatMul,
  capacitanceTril,
  lowRankLogDet,
  lowRankMahalanobis,
  matVec,
  traceXXt,
  transposeLast,
  woodburyFactor,
} from './internal/low-rank-linalg.js';
import { LOG_2PI } from './internal/math.js';
import { mahalanobis } from './internal/mvn-linalg.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { broadcastShapes, formatShape, shapesEqual } from './internal/shapes.js';
import { registerKL } from './kl-registry.js';
import { MultivariateNormal } from './multivariate-normal.js';

/**
 * Options of {@link LowRankMultivariateNormal}: covariance W W^T + diag(D).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import {
 *   LowRankMultivariateNormal,
 *   type LowRankMultivariateNormalOptions,
 * } from '@vae/distributions';
 *
 * const options: LowRankMultivariateNormalOptions = {
 *   loc: [0, 0, 0],
 *   covFactor: [[1], [0.5], [0]],
 *   covDiag: [1, 1, 1],
 * };
 * const covariance = new LowRankMultivariateNormal(options).covarianceMatrix();
 * // W W^T + diag(D):
 * covariance.print(); // -> [[2, 0.5, 0], [0.5, 1.25, 0], [0, 0, 1]]
 * ```
 */
export interface LowRankMultivariateNormalOptions extends DistributionOptions {
  /** Mean `[...batch, d]`, finite. */
  loc: ParamLike;
  /** W `[...batch, d, r]`, finite (r is usually much smaller than d). */
  covFactor: ParamLike;
  /** D `[...batch, d]`, positive: the diagonal part of the covariance. */
  covDiag: ParamLike;
}

/**
 * The multivariate normal N(loc, W W^T + diag(D)) with a low-rank-plus-diagonal covariance,
 * batched over `[...batch]` with event shape `[d]` (torch's `LowRankMultivariateNormal`).
 * Everything goes through the r x r capacitance matrix C = I + W^T D^-1 W (Woodbury identity
 * and the matrix determinant lemma): `logProb` costs O(d r + r^2) per point and the constructor
 * one Cholesky of C (read on the host, r x r), so d in the thousands is cheap and no d x d
 * matrix is formed except by `covarianceMatrix`, `precisionMatrix` and `scaleTril`.
 * `rsample` is loc + W eps_r + sqrt(D) eps_d. KL to and from `MultivariateNormal` and to itself
 * are registered (as torch).
 *
 * `loc`, `covFactor` and `covDiag` are borrowed when given as float32 tensors (`covFactor`
 * and `covDiag` keep their own batch shapes, which broadcast to the batch); the capacitance
 * factor is owned and freed by `dispose()`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { LowRankMultivariateNormal } from '@vae/distributions';
 *
 * const q = new LowRankMultivariateNormal({
 *   loc: tf.zeros([2700]),
 *   covFactor: tf.randomNormal([2700, 8], 0, 1, 'float32', 1),
 *   covDiag: tf.ones([2700]),
 * });
 * const x = q.rsample([16], 1); // [16, 2700]: no 2700 x 2700 matrix is formed
 * const logp = q.logProb(x); // [16]
 * console.log(x.shape, logp.shape); // -> [ 16, 2700 ] [ 16 ]
 * q.dispose();
 * ```
 */
export class LowRankMultivariateNormal extends Distribution {
  /** Mean `[...batch, d]`. */
  readonly loc: tf.Tensor;
  /** W `[...batchW, d, r]` (its own batch shape, broadcasting to the batch). */
  readonly covFactor: tf.Tensor;
  /** D `[...batchD, d]` (its own batch shape, broadcasting to the batch). */
  readonly covDiag: tf.Tensor;
  /** Cholesky factor of the capacitance I + W^T D^-1 W, `[...batchWD, r, r]` (owned). */
  readonly capacitanceTril: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `covFactor`, `covDiag` (see {@link LowRankMultivariateNormalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: LowRankMultivariateNormalOptions) {
    const scope = new ParamScope('LowRankMultivariateNormal', options);
    const loc = scope.param('loc', options.loc, finiteReal);
    const covFactor = scope.param('covFactor', options.covFactor, finiteReal);
    const covDiag = scope.param('covDiag', options.covDiag, positive);
    scope.minRank('loc', loc, 1);
    scope.minRank('covFactor', covFactor, 2);
    scope.minRank('covDiag', covDiag, 1);
    const d = loc.shape[loc.rank - 1]!;
    if (covFactor.shape[covFactor.rank - 2] !== d || covDiag.shape[covDiag.rank - 1] !== d) {
      scope.fail(
        `LowRankMultivariateNormal: \`covFactor\` must be [...batch, ${d}, r] and \`covDiag\` [...batch, ${d}] for \`loc\` ${formatShape(loc.shape)}, got ${formatShape(covFactor.shape)} and ${formatShape(covDiag.shape)}`,
      );
    }
    const batchShape =
      broadcastShapes([
        loc.shape.slice(0, -1),
        covFactor.shape.slice(0, -2),
        covDiag.shape.slice(0, -1),
      ]) ??
      scope.fail(
        `LowRankMultivariateNormal: batch shapes of \`loc\` ${formatShape(loc.shape)}, \`covFactor\` ${formatShape(covFactor.shape)} and \`covDiag\` ${formatShape(covDiag.shape)} do not broadcast`,
      );
    const locShape = [...batchShape, d];
    const fullLoc = shapesEqual(loc.shape, locShape)
      ? loc
      : scope.own(tf.broadcastTo(loc, locShape));
    const tril = scope.own(tf.tidy(() => capacitanceTril(covFactor, covDiag)));
    super({ batchShape, eventShape: [d] }, scope);
    this.loc = fullLoc;
    this.covFactor = covFactor;
    this.covDiag = covDiag;
    this.capacitanceTril = tril;
  }

  get support(): Constraint {
    return real;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** Event size d. */
  get dimension(): number {
    return this.eventShape[0]!;
  }

  /** Rank r of the factor. */
  get rank(): number {
    return this.covFactor.shape[this.covFactor.rank - 1]!;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const shape = this.extendedShape(sampleShape);
    const r = this.rank;
    const eps = randomStandardNormal([...shape.slice(0, -1), r + this.dimension], seed);
    const epsFactor = tf.slice(
      eps,
      eps.shape.map(() => 0),
      [...shape.slice(0, -1), r],
    );
    const epsDiag = tf.slice(eps, [...shape.slice(0, -1).map(() => 0), r], shape);
    const lowRank = matVec(this.covFactor, epsFactor, this.batchShape);
    return tf.add(tf.add(this.loc, lowRank), tf.mul(tf.sqrt(this.covDiag), epsDiag));
  }

  /** -1/2 (d log 2 pi + log det Sigma + Mahalanobis), `[...sample, ...batch]`. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const diff = tf.sub(x, this.loc);
      const squared = lowRankMahalanobis(this, diff, this.batchShape);
      const logDet = tf.broadcastTo(lowRankLogDet(this), this.batchShape);
      return tf.mul(tf.add(tf.add(squared, logDet), this.dimension * LOG_2PI), -0.5);
    });
  }

  /** 1/2 (d (1 + log 2 pi) + log det Sigma), `[...batch]`. */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const logDet = tf.broadcastTo(lowRankLogDet(this), this.batchShape);
      return tf.mul(tf.add(logDet, this.dimension * (1 + LOG_2PI)), 0.5);
    });
  }

  override mean(): tf.Tensor {
    return this.loc.clone();
  }

  override mode(): tf.Tensor {
    return this.loc.clone();
  }

  /**
   * The diagonal of the covariance, sum_j W_ij^2 + D_i, `[...batch, d]`. A new tensor; the caller
   * owns (disposes) it.
   */
  override variance(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.add(tf.sum(tf.square(this.covFactor), -1), this.covDiag), this.loc.shape),
    );
  }

  /** W W^T + diag(D) `[...batch, d, d]`: a new tensor; the caller owns (disposes) it. */
  covarianceMatrix(): tf.Tensor {
    return tf.tidy(() => {
      const d = this.dimension;
      const product = tf.matMul(this.covFactor, transposeLast(this.covFactor));
      const diagonal = tf.mul(tf.expandDims(this.covDiag, -2), tf.eye(d));
      return tf.broadcastTo(tf.add(product, diagonal), [...this.batchShape, d, d]);
    });
  }

  /**
   * (W W^T + D)^-1 = D^-1 - A^T A (Woodbury), `[...batch, d, d]`: a new tensor; the caller owns
   * (disposes) it.
   */
  precisionMatrix(): tf.Tensor {
    return tf.tidy(() => {
      const d = this.dimension;
      const a = woodburyFactor(this);
      const diagonal = tf.mul(tf.expandDims(tf.reciprocal(this.covDiag), -2), tf.eye(d));
      return tf.broadcastTo(tf.sub(diagonal, tf.matMul(transposeLast(a), a)), [
        ...this.batchShape,
        d,
        d,
      ]);
    });
  }

  /**
   * Cholesky factor of the covariance `[...batch, d, d]`, as torch: D^1/2 chol(I + D^-1/2 W W^T
   * D^-1/2), well conditioned since that matrix has eigenvalues >= 1. A new tensor; the caller
   * owns (disposes) it.
   */
  scaleTril(): tf.Tensor {
    return tf.tidy(() => {
      const d = this.dimension;
      const root = tf.expandDims(tf.sqrt(this.covDiag), -1);
      const scaled = tf.div(this.covFactor, root);
      const inner = tf.add(tf.matMul(scaled, transposeLast(scaled)), tf.eye(d));
      return tf.broadcastTo(tf.mul(root, cholesky(inner)), [...this.batchShape, d, d]);
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): LowRankMultivariateNormal {
    return new LowRankMultivariateNormal({
      loc: map.param(this.loc, 1),
      covFactor: map.param(this.covFactor, 2, { broadcasts: true }),
      covDiag: map.param(this.covDiag, 1, { broadcasts: true }),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(p || q) between low-rank normals (torch's expansion of tr(Sigma_q^-1 Sigma_p)), `[...batch]`. */
export function klLowRankLowRank(
  p: LowRankMultivariateNormal,
  q: LowRankMultivariateNormal,
): tf.Tensor {
  const batch = broadcastShapes([p.batchShape, q.batchShape])!;
  const logDetRatio = tf.sub(lowRankLogDet(q), lowRankLogDet(p));
  const shift = lowRankMahalanobis(
    q,
    tf.broadcastTo(tf.sub(q.loc, p.loc), [...batch, p.dimension]),
    batch,
  );
  const a = woodburyFactor(q); // [..., rq, d]
  const diagRatio = tf.sum(tf.div(p.covDiag, q.covDiag), -1);
  const factorOverQ = traceXXt(tf.mul(p.covFactor, tf.expandDims(tf.rsqrt(q.covDiag), -1)));
  const aDiag = traceXXt(tf.mul(a, tf.expandDims(tf.sqrt(p.covDiag), -2)));
  const aFactor = traceXXt(broadcastMatMul(a, p.covFactor));
  const trace = tf.sub(tf.add(diagRatio, factorOverQ), tf.add(aDiag, aFactor));
  const total = tf.add(tf.add(logDetRatio, trace), tf.sub(shift, p.dimension));
  return tf.broadcastTo(tf.mul(total, 0.5), batch);
}

/** KL(MultivariateNormal || LowRankMultivariateNormal), `[...batch]`. */
export function klMultivariateNormalLowRank(
  p: MultivariateNormal,
  q: LowRankMultivariateNormal,
): tf.Tensor {
  const batch = broadcastShapes([p.batchShape, q.batchShape])!;
  const logDetRatio = tf.sub(lowRankLogDet(q), logDetCholesky(p.scaleTril));
  const shift = lowRankMahalanobis(
    q,
    tf.broadcastTo(tf.sub(q.loc, p.loc), [...batch, p.dimension]),
    batch,
  );
  const a = woodburyFactor(q);
  const trilOverQ = traceXXt(tf.mul(p.scaleTril, tf.expandDims(tf.rsqrt(q.covDiag), -1)));
  const aTril = traceXXt(broadcastMatMul(a, p.scaleTril));
  const total = tf.add(tf.add(logDetRatio, tf.sub(trilOverQ, aTril)), tf.sub(shift, p.dimension));
  return tf.broadcastTo(tf.mul(total, 0.5), batch);
}

/** KL(LowRankMultivariateNormal || MultivariateNormal): solves with q's d x d factor, `[...batch]`. */
export function klLowRankMultivariateNormal(
  p: LowRankMultivariateNormal,
  q: MultivariateNormal,
): tf.Tensor {
  const batch = broadcastShapes([p.batchShape, q.batchShape])!;
  const d = p.dimension;
  const logDetRatio = tf.sub(logDetCholesky(q.scaleTril), lowRankLogDet(p));
  const qTril = tf.broadcastTo(q.scaleTril, [...batch, d, d]);
  const shift = mahalanobis(qTril, tf.broadcastTo(tf.sub(q.loc, p.loc), [...batch, d]), undefined);
  const [trilForFactor, factor] = broadcastBatch(qTril, p.covFactor, { a: 2, b: 2 });
  const factorTerm = traceXXt(triangularSolve(trilForFactor, factor));
  const rootDiag = tf.mul(tf.expandDims(tf.sqrt(p.covDiag), -2), tf.eye(d));
  const [trilForDiag, diag] = broadcastBatch(qTril, rootDiag, { a: 2, b: 2 });
  const diagTerm = traceXXt(triangularSolve(trilForDiag, diag));
  const total = tf.add(tf.add(logDetRatio, tf.add(factorTerm, diagTerm)), tf.sub(shift, d));
  return tf.broadcastTo(tf.mul(total, 0.5), batch);
}

registerKL(LowRankMultivariateNormal, LowRankMultivariateNormal, klLowRankLowRank);
registerKL(MultivariateNormal, LowRankMultivariateNormal, klMultivariateNormalLowRank);
registerKL(LowRankMultivariateNormal, MultivariateNormal, klLowRankMultivariateNormal);
