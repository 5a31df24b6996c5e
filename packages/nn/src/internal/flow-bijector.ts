import * as tf from '@tensorflow/tfjs-core';
import { Bijector, constraints } from '@vae/distributions';
import { ensureArgument, formatShape } from '@vae/divergence';
import type { FlowLayer } from '../flows/flow-layer.js';

/**
 * A flow layer seen as a `Bijector` (event rank 1 -> 1), bound to a context. The log-det of
 * the slow direction is taken from the fast one through the cache: for a MAF,
 * `forwardLogDetJacobian(x)` is -inverseLogDet(forward(x)), and `forward(x)` is a cache hit when
 * x came from `inverse` (as in `TransformedDistribution.logProb`), so no sequential pass runs.
 */
export class FlowBijector extends Bijector {
  readonly layer: FlowLayer;
  readonly context: tf.Tensor | undefined;

  constructor(layer: FlowLayer, context: tf.Tensor | undefined, cache: boolean) {
    const owner = (layer.constructor as { className?: string }).className ?? 'FlowLayer';
    super({
      name: owner,
      domain: constraints.realVector,
      codomain: constraints.realVector,
      cache,
    });
    this.layer = layer;
    this.context = context;
  }

  override forwardShape(shape: readonly number[]): number[] {
    this.checkFeatures('forwardShape', shape);
    return [...shape];
  }

  override inverseShape(shape: readonly number[]): number[] {
    this.checkFeatures('inverseShape', shape);
    return [...shape];
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return this.layer.forwardAndLogDet(x, this.context).y;
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return this.layer.inverseAndLogDet(y, this.context).x;
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    if (this.layer.fastDirection === 'inverse') {
      return tf.neg(this.layer.inverseAndLogDet(this.forward(x), this.context).logDet);
    }
    return this.layer.forwardAndLogDet(x, this.context).logDet;
  }

  protected override computeInverseLogDet(y: tf.Tensor): tf.Tensor {
    if (this.layer.fastDirection === 'forward') {
      return tf.neg(this.layer.forwardAndLogDet(this.inverse(y), this.context).logDet);
    }
    return this.layer.inverseAndLogDet(y, this.context).logDet;
  }

  private checkFeatures(method: string, shape: readonly number[]): void {
    const features = this.layer.features;
    ensureArgument(
      shape.length >= 1 && shape[shape.length - 1] === features,
      () =>
        `${this.name}.${method}: needs shape [...batch, ${features}], got ${formatShape(shape)}`,
    );
  }
}
