import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, formatShape, type TensorInput, toFloatTensor } from './internal/validate.js';
import { ensureArgument } from './vae-error.js';

/** Options of {@link mmd}. */
export interface MmdOptions {
  /**
   * `'rbf'`: `k(x, y) = exp(-|x - y|^2 / c)`; `'imq'` (inverse multiquadric,
   * heavier tails, the WAE recommendation): `k(x, y) = c / (c + |x - y|^2)`.
   */
  kernel: 'rbf' | 'imq';
  /**
   * Length scale `h` per dimension: `c = 2 d h^2` for `d`-dimensional points,
   * so the default `1` suits codes compared with a standard normal prior. A list
   * sums one kernel per scale (a multi-scale kernel). Default `1`.
   */
  bandwidth?: number | readonly number[];
  /** Check shapes, finiteness and bandwidths (reads data back). Default `true`. */
  validateArgs?: boolean;
}

/** Squared Euclidean distances between the rows of `a` [n, d] and `b` [m, d]: [n, m]. */
function squaredDistances(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const aa = tf.sum(tf.square(a), 1, true);
  const bb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
  // An explicit transpose keeps wasm on its fast untransposed matmul.
  const ab = tf.matMul(a, tf.transpose(b));
  return tf.relu(tf.sub(tf.add(aa, bb), tf.mul(2, ab)));
}

function kernelMatrix(
  a: tf.Tensor,
  b: tf.Tensor,
  options: { kernel: 'rbf' | 'imq'; scales: number[] },
) {
  const d2 = squaredDistances(a, b);
  const dim = a.shape[1]!;
  const terms = options.scales.map((h) => {
    const c = 2 * dim * h * h;
    return options.kernel === 'rbf' ? tf.exp(tf.div(d2, -c)) : tf.div(c, tf.add(d2, c));
  });
  return terms.length === 1 ? terms[0]! : tf.addN(terms);
}

/** Mean of the off-diagonal entries of a square [n, n] kernel matrix. */
function offDiagonalMean(k: tf.Tensor): tf.Tensor {
  const n = k.shape[0]!;
  const offDiagonal = tf.mul(k, tf.sub(1, tf.eye(n)));
  return tf.div(tf.sum(offDiagonal), n * (n - 1));
}

function validate(x: tf.Tensor, y: tf.Tensor, scales: number[]): void {
  for (const [name, t] of [
    ['x', x],
    ['y', y],
  ] as const) {
    ensureArgument(
      t.rank === 2 && t.shape[0]! >= 2,
      () =>
        `mmd: \`${name}\` must have shape [n, d] with n >= 2, got a tensor of shape ${formatShape(t.shape)}`,
    );
    checkFinite({ fn: 'mmd', name }, t);
  }
  ensureArgument(
    x.shape[1] === y.shape[1],
    () =>
      `mmd: \`x\` and \`y\` must have the same number of columns, got ${formatShape(x.shape)} and ${formatShape(y.shape)}`,
  );
  ensureArgument(
    scales.length > 0 && scales.every((h) => Number.isFinite(h) && h > 0),
    () =>
      `mmd: \`bandwidth\` must be a positive number or a non-empty list of them, got ${JSON.stringify(scales)}`,
  );
}

function mmd_(x: TensorInput, y: TensorInput, options: MmdOptions): tf.Tensor {
  const kernel = options?.kernel;
  ensureArgument(
    kernel === 'rbf' || kernel === 'imq',
    () => `mmd: \`kernel\` must be 'rbf' or 'imq', got ${JSON.stringify(kernel)}`,
  );
  const a = toFloatTensor({ fn: 'mmd', name: 'x' }, x);
  const b = toFloatTensor({ fn: 'mmd', name: 'y' }, y);
  const bandwidth = options.bandwidth ?? 1;
  const scales = typeof bandwidth === 'number' ? [bandwidth] : [...bandwidth];
  if (options.validateArgs ?? true) validate(a, b, scales);
  const settings = { kernel, scales };
  const xx = offDiagonalMean(kernelMatrix(a, a, settings));
  const yy = offDiagonalMean(kernelMatrix(b, b, settings));
  const xy = tf.mean(kernelMatrix(a, b, settings));
  return tf.sub(tf.add(xx, yy), tf.mul(2, xy));
}

const mmdOp = tf.op({ mmd_ });

/**
 * Unbiased estimate of the squared maximum mean discrepancy between the
 * distributions behind two samples:
 * `MMD^2 = mean_{i != j} k(x_i, x_j) + mean_{i != j} k(y_i, y_j) - 2 mean k(x_i, y_j)`.
 * Near 0 (it can be slightly negative) when both come from the same
 * distribution; differentiable, so it serves as the InfoVAE / WAE penalty
 * between encoded codes and prior samples.
 *
 * @param x - Samples, shape `[n, d]`, `n >= 2`.
 * @param y - Samples, shape `[m, d]`, `m >= 2`.
 * @param options - `kernel` (`'rbf'` or `'imq'`), `bandwidth` (default 1), `validateArgs`.
 * @returns A scalar tensor. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { mmd } from '@vae/divergence';
 *
 * // Codes of a batch from an encoder, [batch, latentDim], against samples of the prior N(0, I).
 * const codes = tf.add(tf.randomNormal([64, 2], 0, 1, 'float32', 0.1), 0.5);
 * const prior = tf.randomNormal([64, 2], 0, 1, 'float32', 0.2);
 * // A scalar, larger for a larger shift:
 * mmd(codes, prior, { kernel: 'imq', validateArgs: false }).print(); // -> 0.0456
 * // Near 0 (here slightly negative) for two samples of one distribution:
 * const another = tf.randomNormal([64, 2], 0, 1, 'float32', 0.3);
 * mmd(prior, another, { kernel: 'rbf' }).print(); // -> -0.0057
 * ```
 */
export function mmd(x: TensorInput, y: TensorInput, options: MmdOptions): tf.Tensor {
  return mmdOp(x, y, options);
}
