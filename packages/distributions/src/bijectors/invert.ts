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
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Invert, Sigmoid } from '@vae/distributions';
 *
 * const logit = new Invert(new Sigmoid());
 * // Logit: [0, log 3]
 * logit.forward([0.5, 0.75]).print(); // -> [0, 1.0986]
 * ```
 */
export class Invert extends Bijector {
  /** The bijector whose directions this one swaps (`forward` is its `inverse`). */
  readonly bijector: Bijector;

  /**
   * The inverse of `bijector`: its `forward` is the other's `inverse`, and the other way round.
   *
   * @param bijector - The bijector to invert (borrowed: never disposed by this one).
   * @param options - `cache` (default true): remember the last forward/inverse pair.
   */
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
