import * as tf from '@tensorflow/tfjs-core';
import { logDetCholesky } from './linalg/log-det-cholesky.js';
import { triangularSolve } from './linalg/triangular-solve.js';
import { VaeError } from './vae-error.js';

/** A full-covariance Gaussian N(loc, scaleTril scaleTril^T) by its parameters. */
export interface MultivariateNormalParams {
  /** Mean, `[...batch, d]`. */
  loc: tf.Tensor;
  /** Lower-triangular Cholesky factor of the covariance (positive diagonal), `[...batch, d, d]`. */
  scaleTril: tf.Tensor;
}

/** Options of {@link klMultivariateNormal}. */
export interface KlMultivariateNormalOptions {
  /** Block size of the triangular solves (default 96). */
  blockSize?: number;
}

function eventSize(name: string, params: MultivariateNormalParams): number {
  const { loc, scaleTril } = params;
  const d = loc.shape[loc.rank - 1];
  const ok =
    loc.rank >= 1 &&
    scaleTril.rank >= 2 &&
    scaleTril.shape[scaleTril.rank - 1] === d &&
    scaleTril.shape[scaleTril.rank - 2] === d;
  if (!ok) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `klMultivariateNormal: \`${name}\` must have loc [...batch, d] and scaleTril [...batch, d, d], got loc [${loc.shape.join(', ')}] and scaleTril [${scaleTril.shape.join(', ')}]`,
    );
  }
  return d!;
}

/**
 * KL(p || q) between full-covariance Gaussians given by Cholesky factors,
 *
 *     1/2 [ tr(S2^-1 S1) + (m2 - m1)^T S2^-1 (m2 - m1) - d + log det S2 - log det S1 ],
 *
 * with S = L L^T, computed through triangular solves: tr(S2^-1 S1) = ||L2^-1 L1||_F^2
 * and the Mahalanobis term is ||L2^-1 (m2 - m1)||^2 (no inverse is formed).
 * Forward and reverse KL are argument order. Differentiable in all four tensors.
 *
 * Shapes: `loc` `[...batch, d]`, `scaleTril` `[...batch, d, d]` (batch axes
 * broadcast between p and q) -> `[...batch]`. The caller owns the result.
 *
 * @param p - The first Gaussian: `loc` `[...batch, d]`, `scaleTril` `[...batch, d, d]`
 *   (lower triangular, positive diagonal).
 * @param q - The second Gaussian, the same way, with the same `d`.
 * @param options - `blockSize` of the triangular solves.
 * @returns KL in nats, shape `[...batch]`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { klMultivariateNormal } from '@vae/divergence';
 *
 * const p = { loc: tf.zeros([3]), scaleTril: tf.eye(3) };
 * const q = { loc: tf.ones([3]), scaleTril: tf.mul(tf.eye(3), 2) };
 * // A scalar: 1/2 (3/4 + 3/4 - 3 + 6 ln 2)
 * klMultivariateNormal(p, q).print(); // -> 1.3294
 * ```
 */
export function klMultivariateNormal(
  p: MultivariateNormalParams,
  q: MultivariateNormalParams,
  options: KlMultivariateNormalOptions = {},
): tf.Tensor {
  const d = eventSize('p', p);
  const dq = eventSize('q', q);
  if (d !== dq) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `klMultivariateNormal: \`p\` and \`q\` must have the same event size, got ${d} and ${dq}`,
    );
  }
  const solveOptions = options.blockSize === undefined ? {} : { blockSize: options.blockSize };
  return tf.tidy(() => {
    const batch = tf.broadcast_util.assertAndGetBroadcastShape(
      tf.broadcast_util.assertAndGetBroadcastShape(
        p.loc.shape.slice(0, -1),
        q.loc.shape.slice(0, -1),
      ),
      tf.broadcast_util.assertAndGetBroadcastShape(
        p.scaleTril.shape.slice(0, -2),
        q.scaleTril.shape.slice(0, -2),
      ),
    );
    const l1 = tf.broadcastTo(p.scaleTril, [...batch, d, d]);
    const l2 = tf.broadcastTo(q.scaleTril, [...batch, d, d]);
    const difference = tf.broadcastTo(tf.sub(q.loc, p.loc), [...batch, d]);
    const ratio = triangularSolve(l2, l1, solveOptions);
    const trace = tf.sum(tf.square(ratio), [-2, -1]);
    const whitened = triangularSolve(l2, tf.expandDims(difference, -1), solveOptions);
    const mahalanobis = tf.sum(tf.square(whitened), [-2, -1]);
    const logDetRatio = tf.sub(logDetCholesky(l2), logDetCholesky(l1));
    return tf.mul(tf.add(tf.add(trace, mahalanobis), tf.sub(logDetRatio, d)), 0.5);
  });
}
