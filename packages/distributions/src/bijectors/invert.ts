import type * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * The inverse of a bijector (TFP's `Invert`, torch's `.inv`): `forward` is its `inverse`, the
 * log-dets swap, and so do domain and codomain. `bijector` is borrowed: `dispose()` frees only
 * this wrapper's cache.
 *
 * @example
 * ```ts
 * const logit = new Invert(new Sigmoid());
 * const x = logit.forward([0.5, 0.75]); // [0, log 3]
 * ```
 */
export class Invert extends Bijector {
  readonly bijector: Bijector;

  constructor(bijector: Bijector, options: Pick<BijectorOptions, 'cache'> = {}) {
    if (!(bijector instanceof Bijector)) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `Invert: \`bijector\` must be a Bijector, got ${String(bijector)}`,
      );
    }
    super({
      name: `Invert(${bijector.name})`,
      domain: bijector.codomain,
      codomain: bijector.domain,
      cache: options.cache,
    });
    this.bijector = bijector;
  }

  override forwardShape(shape: readonly number[]): number[] {
    return this.bijector.inverseShape(shape);
  }

  override inverseShape(shape: readonly number[]): number[] {
    return this.bijector.forwardShape(shape);
  }

  override sign(): number | tf.Tensor {
    return this.bijector.sign();
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return this.bijector.inverse(x);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return this.bijector.forward(y);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    return this.bijector.inverseLogDetJacobian(x);
  }

  protected override computeInverseLogDet(y: tf.Tensor): tf.Tensor {
    return this.bijector.forwardLogDetJacobian(y);
  }
}
