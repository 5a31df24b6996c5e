import * as tf from '@tensorflow/tfjs-core';
import { matrixDiagPart, randomStandardNormal } from '@vae/divergence';
import { Beta } from './beta.js';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, corrCholesky, positive } from './internal/constraints.js';
import { TINY, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { lgamma, multivariateLgamma } from './internal/special.js';
import { subSeed } from './internal/special-random.js';
import { ensure } from './internal/validate.js';

/**
 * Options of {@link LKJCholesky}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { LKJCholesky, type LKJCholeskyOptions } from '@vae/distributions';
 *
 * const options: LKJCholeskyOptions = { dim: 4, concentration: 2 };
 * console.log(new LKJCholesky(options).eventShape); // -> [ 4, 4 ]
 * ```
 */
export interface LKJCholeskyOptions extends DistributionOptions {
  /** Matrix size: an integer >= 2. */
  dim: number;
  /** Shape eta `[...batch]`, positive (default 1: uniform over correlation matrices). */
  concentration?: ParamLike;
}

/**
 * The LKJ distribution over Cholesky factors L of dim x dim correlation matrices (torch's
 * `LKJCholesky`): L L^T has density proportional to det(L L^T)^(eta - 1); batched over the shape
 * of `concentration` (eta), event shape `[dim, dim]`. `sample` uses the onion method
 * (Lewandowski, Kurowicka and Joe 2009) with Beta draws (with the Beta shapes of the paper:
 * torch 1.13's sampler draws rows below the second too concentrated); `logProb` is the density
 * over the strictly lower entries of L. Each off-diagonal correlation of L L^T has the marginal
 * Beta(eta - 1 + dim / 2, eta - 1 + dim / 2) on [-1, 1]. No `rsample`, moments or entropy (as
 * torch).
 *
 * `concentration` is borrowed: do not dispose it while the distribution is in use.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { LKJCholesky } from '@vae/distributions';
 *
 * const lkj = new LKJCholesky({ dim: 3, concentration: [0.5, 2] }); // batch [2], event [3, 3]
 * const l = lkj.sample([10], 4); // [10, 2, 3, 3], lower triangular with unit rows
 * const logp = lkj.logProb(l); // [10, 2]
 * console.log(l.shape, logp.shape); // -> [ 10, 2, 3, 3 ] [ 10, 2 ]
 * lkj.dispose();
 * ```
 */
export class LKJCholesky extends Distribution {
  /** Matrix size. */
  readonly dim: number;
  /** eta `[...batch]`. */
  readonly concentration: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `dim`, `concentration` (see {@link LKJCholeskyOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: LKJCholeskyOptions) {
    const { dim } = options;
    ensure(
      Number.isInteger(dim) && dim >= 2,
      () => `LKJCholesky: \`dim\` must be an integer >= 2, got ${String(dim)}`,
    );
    const scope = new ParamScope('LKJCholesky', options);
    const concentration = scope.param('concentration', options.concentration ?? 1, positive);
    super({ batchShape: concentration.shape, eventShape: [dim, dim] }, scope);
    this.dim = dim;
    this.concentration = concentration;
  }

  get support(): Constraint {
    return corrCholesky;
  }

  /**
   * Onion method: row i (i >= 1) is sqrt(y_i) u_i on its first i entries, u_i uniform on the
   * sphere, and sqrt(1 - y_i) on the diagonal.
   */
  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const dim = this.dim;
    const offset = tf.concat([tf.zeros([1]), tf.range(0, dim - 1, 1, 'float32')]);
    const marginal = tf.add(this.concentration, 0.5 * (dim - 2));
    // Row i >= 1 takes y_i ~ Beta(i / 2, eta + (dim - 2) / 2 - (i - 1) / 2). torch 1.13 uses
    // offset + 0.5 for the first concentration, which is i - 1/2 from row 2 on: its rows below
    // the second come out too concentrated (later torch versions use 0.5 offset + 0.5, as here).
    const beta = new Beta({
      concentration1: tf.add(tf.mul(offset, 0.5), 0.5),
      concentration0: tf.sub(tf.expandDims(marginal, -1), tf.mul(offset, 0.5)),
      validateArgs: false,
    });
    const y = tf.expandDims(beta.sample(sampleShape, subSeed(seed, 1)), -1); // [..., dim, 1]
    beta.dispose();
    const strictlyLower = tf.sub(tf.linalg.bandPart(tf.ones([dim, dim]), -1, 0), tf.eye(dim));
    const normals = randomStandardNormal(this.extendedShape(sampleShape), subSeed(seed, 2));
    const lower = tf.mul(normals, strictlyLower);
    const norm = tf.sqrt(tf.sum(tf.square(lower), -1, true));
    // Row 0 has no strictly lower entries: its direction is 0 (not 0 / 0).
    const direction = tf.div(
      lower,
      tf.where(
        untaped(() => tf.equal(norm, 0)),
        tf.onesLike(norm),
        norm,
      ),
    );
    const w = tf.mul(tf.sqrt(y), direction);
    const diagonal = tf.sqrt(tf.maximum(tf.sub(1, tf.sum(tf.square(w), -1)), TINY));
    return tf.add(w, tf.mul(tf.expandDims(diagonal, -2), tf.eye(dim)));
  }

  /**
   * sum_{i >= 1} (2 (eta - 1) + dim - i - 1) log L_ii minus the log normalizer
   * (dim - 1)/2 log pi + log Gamma_(dim-1)(eta + (dim - 2)/2) - (dim - 1) lgamma(eta + (dim - 1)/2),
   * `[...sample, ...batch]` for `value` `[...sample, ...batch, dim, dim]`.
   */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const dim = this.dim;
      const diagonal = tf.slice(
        matrixDiagPart(x),
        [...x.shape.slice(0, -2).map(() => 0), 1],
        [...x.shape.slice(0, -2), dim - 1],
      );
      const order = tf.sub(
        tf.add(tf.mul(tf.expandDims(tf.sub(this.concentration, 1), -1), 2), dim),
        tf.range(2, dim + 1, 1, 'float32'),
      ); // [...batch, dim - 1]
      const unnormalized = tf.sum(tf.mul(order, tf.log(diagonal)), -1);
      const alpha = tf.add(this.concentration, 0.5 * (dim - 1));
      const normalizer = tf.add(
        tf.sub(multivariateLgamma(tf.sub(alpha, 0.5), dim - 1), tf.mul(lgamma(alpha), dim - 1)),
        0.5 * (dim - 1) * Math.log(Math.PI),
      );
      return tf.sub(unnormalized, normalizer);
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): LKJCholesky {
    return new LKJCholesky({
      dim: this.dim,
      concentration: map.param(this.concentration),
      validateArgs: this.validateArgs,
    });
  }
}
