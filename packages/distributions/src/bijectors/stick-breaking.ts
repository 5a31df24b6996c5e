import * as tf from '@tensorflow/tfjs-core';
import { simplex } from '../dirichlet.js';
import { ensureLastAtLeast } from '../internal/bijector-shapes.js';
import { realVector } from '../internal/constraints.js';
import { logSigmoid, TINY } from '../internal/math.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/** log(K - 1 - i) for i = 0..K-2: the offsets that map x = 0 to the uniform point of the simplex. */
function logOffsets(count: number): tf.Tensor {
  return tf.log(tf.range(count, 0, -1, 'float32'));
}

/**
 * Stick-breaking from R^(K-1) to the simplex in R^K (torch's `StickBreakingTransform`, the
 * `bijectTo` of `constraints.simplex`): z_i = sigmoid(x_i - log(K - 1 - i)) breaks off a
 * fraction of the remaining stick, y_i = z_i prod_{j<i} (1 - z_j), y_K = prod_j (1 - z_j); x = 0
 * gives the uniform point. Computed in log space (log sigmoid, cumulative sums), so tiny and
 * near-one fractions keep their precision; the inverse takes the remaining stick as the sum of
 * the later entries rather than 1 minus the earlier ones. The log-det is that of x -> y[:-1]
 * (torch's convention, the density `Dirichlet.logProb` uses). Event ranks 1 -> 1.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { StickBreaking } from '@vae/distributions';
 *
 * const stick = new StickBreaking();
 * stick.forward([0, 0, 0]).print(); // -> [0.25, 0.25, 0.25, 0.25]
 * console.log(stick.inverse([0.1, 0.2, 0.3, 0.4]).shape); // -> [ 3 ]
 * ```
 */
export class StickBreaking extends Bijector {
  /**
   * Builds the bijector (it has no parameters).
   *
   * @param options - `cache` (default true): remember the last forward/inverse pair (see {@link Bijector}).
   */
  constructor(options: Pick<BijectorOptions, 'cache'> = {}) {
    super({ name: 'StickBreaking', domain: realVector, codomain: simplex, cache: options.cache });
  }

  override forwardShape(shape: readonly number[]): number[] {
    const size = ensureLastAtLeast('StickBreaking.forwardShape', shape, 1);
    return [...shape.slice(0, -1), size + 1];
  }

  override inverseShape(shape: readonly number[]): number[] {
    const size = ensureLastAtLeast('StickBreaking.inverseShape', shape, 2);
    return [...shape.slice(0, -1), size - 1];
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    this.forwardShape(x.shape);
    const { logZ, logRest } = this.logFractions(x);
    const remaining = tf.cumsum(logRest, x.rank - 1, true);
    const logY = tf.concat([tf.add(logZ, remaining), tf.sum(logRest, -1, true)], -1);
    return tf.exp(logY);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    const count = this.inverseShape(y.shape)[y.rank - 1]!;
    const head = tf.slice(y, 0, [...y.shape.slice(0, -1), count]);
    // The stick left after entry i is the sum of the later entries (no 1 - sum cancellation).
    const rest = tf.slice(tf.cumsum(y, y.rank - 1, true, true), 0, head.shape);
    const logRest = tf.log(tf.maximum(rest, TINY)); // torch clamps the stick to tiny too
    return tf.add(tf.sub(tf.log(head), logRest), logOffsets(count));
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    this.forwardShape(x.shape);
    const { logZ, logRest } = this.logFractions(x);
    const remaining = tf.cumsum(logRest, x.rank - 1, true);
    return tf.sum(tf.add(tf.add(logZ, logRest), remaining), -1);
  }

  /** log z_i and log(1 - z_i) of the fractions broken off. */
  private logFractions(x: tf.Tensor): { logZ: tf.Tensor; logRest: tf.Tensor } {
    const shifted = tf.sub(x, logOffsets(x.shape[x.rank - 1]!));
    return { logZ: logSigmoid(shifted), logRest: logSigmoid(tf.neg(shifted)) };
  }
}
