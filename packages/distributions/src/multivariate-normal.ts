import * as tf from '@tensorflow/tfjs-core';
import {
  cholesky,
  klMultivariateNormal,
  logDetCholesky,
  randomStandardNormal,
  VaeError,
} from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, finiteReal, real } from './internal/constraints.js';
import { batchedMoments, type FitData } from './internal/mvn-fit.js';
import { colour, mahalanobis } from './internal/mvn-linalg.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { broadcastShapes, formatShape, shapesEqual } from './internal/shapes.js';
import { registerKL } from './kl-registry.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Options of {@link MultivariateNormal}: `loc` and exactly one of `scaleTril` or `covarianceMatrix`. */
export interface MultivariateNormalOptions extends DistributionOptions {
  /** Mean `[...batch, d]`, finite. */
  loc: ParamLike;
  /** Lower-triangular Cholesky factor of the covariance with a positive diagonal, `[...batch, d, d]`. */
  scaleTril?: ParamLike;
  /** Symmetric positive definite covariance `[...batch, d, d]`; factored once with {@link cholesky}. */
  covarianceMatrix?: ParamLike;
  /**
   * Added to the diagonal of `covarianceMatrix` before factoring (default 0): a small value
   * (1e-6..1e-4 of the typical variance) makes a nearly singular covariance factorable in float32.
   */
  jitter?: number;
  /** Block size of the Cholesky factorization and triangular solves (default 96). */
  blockSize?: number;
}

/** Options of {@link MultivariateNormal.fit}. */
export interface MultivariateNormalFitOptions extends DistributionOptions {
  /** Shrinkage lambda in [0, 1] toward the diagonal: (1 - lambda) Sigma + lambda diag(Sigma). Default 0. */
  shrinkage?: number;
  /** Rows per accumulation batch (default 256); memory is O(d^2 + batchSize d). */
  batchSize?: number;
  /** Added to the diagonal of the (shrunk) covariance before factoring (default 0). */
  jitter?: number;
  /** Block size of the Cholesky factorization (default 96). */
  blockSize?: number;
}

function squareCheck(scope: ParamScope, name: string, x: tf.Tensor): number {
  const d = x.shape[x.rank - 1]!;
  if (x.rank < 2 || x.shape[x.rank - 2] !== d) {
    scope.fail(
      `MultivariateNormal: \`${name}\` must be [...batch, d, d], got shape ${formatShape(x.shape)}`,
    );
  }
  return d;
}

/** Reads a scalar statistic back to the host. */
function readScalar(fn: () => tf.Tensor): number {
  return tf.tidy(() => fn().dataSync()[0]!);
}

function validateScaleTril(scope: ParamScope, scaleTril: tf.Tensor): void {
  const upper = readScalar(() =>
    tf.max(tf.abs(tf.sub(scaleTril, tf.linalg.bandPart(scaleTril, -1, 0)))),
  );
  if (upper > 0) {
    scope.fail(
      `MultivariateNormal: \`scaleTril\` must be lower triangular, got a tensor of shape ${formatShape(scaleTril.shape)} with an entry of size ${upper} above the diagonal`,
    );
  }
  const minDiagonal = readScalar(() => tf.min(tf.sum(tf.linalg.bandPart(scaleTril, 0, 0), -1)));
  if (!(minDiagonal > 0)) {
    scope.fail(
      `MultivariateNormal: \`scaleTril\` must have a positive diagonal, got a tensor of shape ${formatShape(scaleTril.shape)} with diagonal min ${minDiagonal}`,
    );
  }
}

function validateSymmetric(scope: ParamScope, covariance: tf.Tensor): void {
  const [asymmetry, scale] = tf.tidy(() => {
    const perm = covariance.shape.map((_, i) => i);
    perm[perm.length - 1] = perm.length - 2;
    perm[perm.length - 2] = perm.length - 1;
    const gap = tf.max(tf.abs(tf.sub(covariance, tf.transpose(covariance, perm))));
    return [gap.dataSync()[0]!, tf.max(tf.abs(covariance)).dataSync()[0]!];
  });
  if (asymmetry > 1e-5 * scale + 1e-7) {
    scope.fail(
      `MultivariateNormal: \`covarianceMatrix\` must be symmetric, got a tensor of shape ${formatShape(covariance.shape)} with max |A - A^T| = ${asymmetry} (max |A| = ${scale})`,
    );
  }
}

function factorCovariance(
  scope: ParamScope,
  covariance: tf.Tensor,
  options: { jitter: number; blockSize: number | undefined },
): tf.Tensor {
  const d = covariance.shape[covariance.rank - 1]!;
  const { jitter, blockSize } = options;
  try {
    return tf.tidy(() => {
      const shifted = jitter === 0 ? covariance : tf.add(covariance, tf.mul(tf.eye(d), jitter));
      return cholesky(shifted, blockSize === undefined ? {} : { blockSize });
    });
  } catch (error) {
    tf.dispose(scope.owned);
    scope.owned.length = 0;
    if (VaeError.isInstance(error) && error.code === 'NOT_POSITIVE_DEFINITE') {
      throw new VaeError(
        'NOT_POSITIVE_DEFINITE',
        `MultivariateNormal: \`covarianceMatrix\` (jitter ${jitter}) is not positive definite; ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The multivariate normal N(loc, Sigma) with full covariance Sigma = L L^T, batched over
 * `[...batch]` with event shape `[d]`; made for d in the thousands (a 30 x 30 x 3 image is
 * d = 2700). Give the Cholesky factor `scaleTril` (L) or a `covarianceMatrix` (factored once
 * with a blocked Cholesky; `jitter` adds to its diagonal). `rsample` is `loc + L eps`;
 * `logProb` whitens with a triangular solve (no inverse is ever formed). KL to another
 * MultivariateNormal is registered (see `klMultivariateNormal` in `@vae/divergence`).
 *
 * `loc` and `scaleTril` are borrowed when given as float32 tensors (do not dispose them while
 * the distribution is in use); tensors the constructor creates are freed by `dispose()`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { MultivariateNormal } from '@vae/distributions';
 *
 * const mvn = new MultivariateNormal({ loc: [0, 0], covarianceMatrix: [[1, 0.8], [0.8, 1]] });
 * const x = mvn.sample([256], 7); // [256, 2]
 * const logp = mvn.logProb(x); // [256]
 * const model = MultivariateNormal.fit(x, { shrinkage: 0.05 }); // x [n, d]
 * // Near [[1, 0.8], [0.8, 1]]:
 * model.covarianceMatrix().print(); // -> [[1.0431, 0.8082], [0.8082, 1.0398]]
 * console.log(logp.shape); // -> [ 256 ]
 * mvn.dispose();
 * model.dispose();
 * ```
 */
export class MultivariateNormal extends Distribution {
  /** Mean `[...batch, d]`. */
  readonly loc: tf.Tensor;
  /** Lower Cholesky factor of the covariance, `[...batchOfScale, d, d]` (broadcasts to the batch). */
  readonly scaleTril: tf.Tensor;
  private readonly blockSize: number | undefined;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `scaleTril`, `covarianceMatrix`, `jitter`, `blockSize` (see {@link MultivariateNormalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: MultivariateNormalOptions) {
    const scope = new ParamScope('MultivariateNormal', options);
    const hasTril = options.scaleTril !== undefined;
    if (hasTril === (options.covarianceMatrix !== undefined)) {
      scope.fail('MultivariateNormal: give exactly one of `scaleTril` or `covarianceMatrix`');
    }
    const jitter = options.jitter ?? 0;
    if (!(Number.isFinite(jitter) && jitter >= 0) || (hasTril && options.jitter !== undefined)) {
      scope.fail(
        `MultivariateNormal: \`jitter\` must be a non-negative number and applies to \`covarianceMatrix\` only, got ${options.jitter}`,
      );
    }
    const loc = scope.param('loc', options.loc, finiteReal);
    scope.minRank('loc', loc, 1);
    let scaleTril: tf.Tensor;
    if (hasTril) {
      scaleTril = scope.param('scaleTril', options.scaleTril, finiteReal);
      squareCheck(scope, 'scaleTril', scaleTril);
      if (scope.validate) validateScaleTril(scope, scaleTril);
    } else {
      const covariance = scope.param('covarianceMatrix', options.covarianceMatrix, finiteReal);
      squareCheck(scope, 'covarianceMatrix', covariance);
      if (scope.validate) validateSymmetric(scope, covariance);
      scaleTril = scope.own(
        factorCovariance(scope, covariance, { jitter, blockSize: options.blockSize }),
      );
    }
    const d = scaleTril.shape[scaleTril.rank - 1]!;
    if (loc.shape[loc.rank - 1] !== d) {
      scope.fail(
        `MultivariateNormal: \`loc\` ${formatShape(loc.shape)} and the scale ${formatShape(scaleTril.shape)} disagree on d`,
      );
    }
    const batchShape =
      broadcastShapes([loc.shape.slice(0, -1), scaleTril.shape.slice(0, -2)]) ??
      scope.fail(
        `MultivariateNormal: batch shapes of \`loc\` ${formatShape(loc.shape)} and the scale ${formatShape(scaleTril.shape)} do not broadcast`,
      );
    const locShape = [...batchShape, d];
    const fullLoc = shapesEqual(loc.shape, locShape)
      ? loc
      : scope.own(tf.broadcastTo(loc, locShape));
    super({ batchShape, eventShape: [d] }, scope);
    this.loc = fullLoc;
    this.scaleTril = scaleTril;
    this.blockSize = options.blockSize;
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

  /** The scale factor in the form the helpers take: unbatched, or broadcast to the batch. */
  private batchedScale(): tf.Tensor {
    if (this.scaleTril.rank === 2) return this.scaleTril;
    const d = this.dimension;
    return tf.broadcastTo(this.scaleTril, [...this.batchShape, d, d]);
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const eps = randomStandardNormal(this.extendedShape(sampleShape), seed);
    return tf.add(this.loc, colour(this.batchedScale(), eps));
  }

  /**
   * Log density `[...sample, ...batch]` of `value` `[...sample, ...batch, d]`:
   * -1/2 ||L^-1 (x - loc)||^2 - sum log diag L - d/2 log(2 pi).
   */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const diff = tf.sub(x, this.loc);
      const outer = diff.shape.slice(0, Math.max(0, diff.rank - 1 - this.batchShape.length));
      const full = tf.broadcastTo(diff, [...outer, ...this.batchShape, this.dimension]);
      const scale = this.batchedScale();
      const squared = mahalanobis(scale, full, this.blockSize);
      const logDet = tf.broadcastTo(logDetCholesky(this.scaleTril), this.batchShape);
      return tf.sub(
        tf.mul(squared, -0.5),
        tf.add(tf.mul(logDet, 0.5), 0.5 * this.dimension * LOG_2PI),
      );
    });
  }

  /** Entropy `[...batch]`: d/2 (1 + log(2 pi)) + sum log diag L. */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const logDet = tf.broadcastTo(logDetCholesky(this.scaleTril), this.batchShape);
      return tf.add(tf.mul(logDet, 0.5), 0.5 * this.dimension * (1 + LOG_2PI));
    });
  }

  override mean(): tf.Tensor {
    return this.loc.clone();
  }

  override mode(): tf.Tensor {
    return this.loc.clone();
  }

  /**
   * The diagonal of the covariance `[...batch, d]`: row sums of L squared. A new tensor; the caller
   * owns (disposes) it.
   */
  override variance(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.sum(tf.square(this.scaleTril), -1), [...this.batchShape, this.dimension]),
    );
  }

  /**
   * The covariance L L^T `[...batchOfScale, d, d]`: a new tensor; the caller owns (disposes) it.
   */
  covarianceMatrix(): tf.Tensor {
    return tf.tidy(() => {
      const rank = this.scaleTril.rank;
      const perm = this.scaleTril.shape.map((_, i) => i);
      perm[rank - 1] = rank - 2;
      perm[rank - 2] = rank - 1;
      return tf.matMul(this.scaleTril, tf.transpose(this.scaleTril, perm));
    });
  }

  /**
   * Maximum-likelihood fit to rows `data` (`[n, d]` tensor, or `{ images, size }` on the host:
   * `images` a `Float32Array` of `size` rows of d values, read in batches): the sample mean
   * and the covariance divided by n, accumulated over batches of `batchSize` rows (memory O(d^2 + batchSize d), so 50,000+
   * images of 2700 values fit), optionally shrunk toward its diagonal,
   * (1 - shrinkage) Sigma + shrinkage diag(Sigma), so that fewer rows than dimensions still
   * give a positive definite covariance; then `jitter` is added to the diagonal. The result
   * owns its tensors.
   *
   * @param data - The rows: a `[n, d]` tensor (borrowed), or `{ images, size }` on the host.
   * @param options - `batchSize`, `shrinkage` and `jitter` (see {@link MultivariateNormalFitOptions}).
   * @throws VaeError `NOT_POSITIVE_DEFINITE` suggesting `shrinkage` or `jitter`.
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import '@tensorflow/tfjs-backend-cpu';
   * import { MultivariateNormal } from '@vae/distributions';
   *
   * // 5,000 rows of d = 3 on the host (say, flattened images), from a known Gaussian.
   * const truth = new MultivariateNormal({
   *   loc: [1, 2, 3],
   *   covarianceMatrix: [[1, 0.5, 0], [0.5, 1, 0], [0, 0, 2]],
   * });
   * const rows = truth.sample([5000], 1); // [5000, 3]
   * const data = { images: rows.dataSync() as Float32Array, size: 5000 };
   * const fitted = MultivariateNormal.fit(data, { batchSize: 1000, jitter: 1e-5 });
   * // Near [1, 2, 3]:
   * fitted.loc.print(); // -> [0.9902, 1.9829, 3.0049]
   * const nats = -tf.mean(fitted.logProb(rows)).dataSync()[0]!;
   * // Bits per dimension (the truth's own entropy is 2.1446):
   * console.log((nats / (3 * Math.LN2)).toFixed(2)); // -> 2.14
   * ```
   */
  static fit(data: FitData, options: MultivariateNormalFitOptions = {}): MultivariateNormal {
    const momentOptions: { batchSize?: number; shrinkage?: number } = {};
    if (options.batchSize !== undefined) momentOptions.batchSize = options.batchSize;
    if (options.shrinkage !== undefined) momentOptions.shrinkage = options.shrinkage;
    const { mean, covariance } = batchedMoments(data, momentOptions);
    try {
      const fitted = new MultivariateNormal({
        loc: mean,
        covarianceMatrix: covariance,
        jitter: options.jitter ?? 0,
        validateArgs: options.validateArgs ?? false,
        ...(options.blockSize === undefined ? {} : { blockSize: options.blockSize }),
      });
      fitted.owned.push(mean);
      return fitted;
    } catch (error) {
      mean.dispose();
      if (VaeError.isInstance(error) && error.code === 'NOT_POSITIVE_DEFINITE') {
        throw new VaeError(
          'NOT_POSITIVE_DEFINITE',
          `MultivariateNormal.fit: the fitted covariance is not positive definite (shrinkage ${options.shrinkage ?? 0}, jitter ${options.jitter ?? 0}); with fewer rows than dimensions or constant pixels pass \`shrinkage\` (e.g. 0.1) and a small \`jitter\` (e.g. 1e-4). ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    } finally {
      covariance.dispose();
    }
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): MultivariateNormal {
    const options: MultivariateNormalOptions = {
      loc: map.param(this.loc, 1),
      scaleTril: map.param(this.scaleTril, 2, { broadcasts: true }),
      validateArgs: this.validateArgs,
    };
    if (this.blockSize !== undefined) options.blockSize = this.blockSize;
    return new MultivariateNormal(options);
  }
}

/**
 * KL(p || q) between multivariate normals through triangular solves (`[...batch]`), the
 * closed form {@link klDivergence} uses for this pair.
 *
 * @param p - The first multivariate normal of KL(p || q) (borrowed).
 * @param q - The second, of the same dimension (borrowed).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { klMultivariateNormalMultivariateNormal, MultivariateNormal } from '@vae/distributions';
 *
 * const p = new MultivariateNormal({ loc: [1, 0], covarianceMatrix: [[1, 0.5], [0.5, 1]] });
 * const q = new MultivariateNormal({ loc: [0, 0], covarianceMatrix: [[1, 0], [0, 1]] });
 * // (2 + 1 - 2 - log 0.75) / 2:
 * klMultivariateNormalMultivariateNormal(p, q).print(); // -> 0.6438
 * ```
 */
export function klMultivariateNormalMultivariateNormal(
  p: MultivariateNormal,
  q: MultivariateNormal,
): tf.Tensor {
  return klMultivariateNormal(p, q);
}

registerKL(MultivariateNormal, MultivariateNormal, klMultivariateNormalMultivariateNormal);
