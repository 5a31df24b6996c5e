import * as tf from '@tensorflow/tfjs-core';
import { simplex } from '../dirichlet.js';
import { ensureLastAtLeast } from '../internal/bijector-shapes.js';
import { realVector } from '../internal/constraints.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * y = softmax([x, 0]) from R^(K-1) to the simplex in R^K (TFP's `SoftmaxCentered`); inverse
 * x = log y[:-1] - log y[K-1]. The log-det is that of x -> y[:-1], sum_k log y_k over all K
 * entries (the same convention as `StickBreaking` and `Dirichlet.logProb`; TFP's adds
 * log(K) / 2, the volume of the simplex embedded in R^K). Computed from log-softmax, so it is
 * finite where y underflows. Event ranks 1 -> 1.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { SoftmaxCentered } from '@vae/distributions';
 *
 * const softmax = new SoftmaxCentered();
 * softmax.forward([0, 0]).print(); // -> [0.3333, 0.3333, 0.3333]
 * ```
 */
export class SoftmaxCentered extends Bijector {
  /**
   * Builds the bijector (it has no parameters).
   *
   * @param options - `cache` (default true): remember the last forward/inverse pair (see {@link Bijector}).
   */
  constructor(options: Pick<BijectorOptions, 'cache'> = {}) {
    super({ name: 'SoftmaxCentered', domain: realVector, codomain: simplex, cache: options.cache });
  }

  override forwardShape(shape: readonly number[]): number[] {
    const size = ensureLastAtLeast('SoftmaxCentered.forwardShape', shape, 1);
    return [...shape.slice(0, -1), size + 1];
  }

  override inverseShape(shape: readonly number[]): number[] {
    const size = ensureLastAtLeast('SoftmaxCentered.inverseShape', shape, 2);
    return [...shape.slice(0, -1), size - 1];
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return tf.exp(logSoftmaxCentered(this.padded(x)));
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    const count = this.inverseShape(y.shape)[y.rank - 1]!;
    const logY = tf.log(y);
    const head = tf.slice(logY, 0, [...y.shape.slice(0, -1), count]);
    const last = tf.slice(
      logY,
      [...y.shape.slice(0, -1).map(() => 0), count],
      [...y.shape.slice(0, -1), 1],
    );
    return tf.sub(head, last);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    return tf.sum(logSoftmaxCentered(this.padded(x)), -1);
  }

  /** [x, 0] along the last axis. */
  private padded(x: tf.Tensor): tf.Tensor {
    this.forwardShape(x.shape);
    const padding = x.shape.map((_, axis): [number, number] =>
      axis === x.rank - 1 ? [0, 1] : [0, 0],
    );
    return tf.pad(x, padding);
  }
}

function logSoftmaxCentered(padded: tf.Tensor): tf.Tensor {
  return tf.sub(padded, tf.logSumExp(padded, -1, true));
}
