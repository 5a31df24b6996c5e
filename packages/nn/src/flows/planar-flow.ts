import * as tf from '@tensorflow/tfjs-core';
import { smallUniform } from '../internal/flow-init.js';
import { randomSeed } from '../internal/seed.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import { type FlowDirection, type FlowForward, type FlowInverse, FlowLayer } from './flow-layer.js';

/** Bisection steps of the inverse: the bracket shrinks by 2^-30, below float32's resolution. */
const BISECTION_STEPS = 30;

/**
 * Options of {@link PlanarFlow} and {@link RadialFlow}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { SimpleFlowOptions } from '@vae/nn';
 * const options: SimpleFlowOptions = { features: 2, seed: 1 };
 * ```
 */
export interface SimpleFlowOptions {
  /** D, the size of the vectors. */
  features: number;
  /** Seed of the initial parameters (uniform on ±1/sqrt(D)); random if omitted. */
  seed?: number;
}

/** sech(a)^2 = 4 e^(-2|a|) / (1 + e^(-2|a|))^2, without overflow for large |a|. */
function sechSquared(a: tf.Tensor): tf.Tensor {
  const e = tf.exp(tf.mul(-2, tf.abs(a)));
  return tf.div(tf.mul(4, e), tf.square(tf.add(1, e)));
}

/**
 * The planar flow of Rezende & Mohamed (2015) on vectors `[...batch, D]`:
 * y = x + û tanh(w·x + b), with parameters `u` [D], `w` [D], `bias` []. Invertibility is
 * enforced as in their appendix: û = u + (m(w·u) - w·u) w / |w|^2 with m(a) = softplus(a) - 1,
 * so w·û > -1. log |det dy/dx| = log(1 + sech²(a) w·û) is computed as
 * log(tanh²(a) + sech²(a) softplus(w·u)), a sum of non-negative terms (no cancellation).
 *
 * There is no closed-form inverse. `inverseAndLogDet` solves the one-dimensional equation
 * a + (w·û) tanh(a) = w·y + b for a = w·x + b (increasing in a) by bisection on its bracket
 * [w·y + b ± |w·û|], then takes one Newton step on the gradient tape, so the gradients are
 * those of the exact inverse (implicit function theorem); it agrees with the exact inverse to
 * float32 precision.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PlanarFlow } from '@vae/nn';
 * const planar = new PlanarFlow({ features: 2, seed: 1 });
 * const { y, logDet } = tf.tidy(() => planar.forwardAndLogDet(tf.ones([3, 2]))); // [3, 2], [3]
 * tf.dispose([y, logDet]);
 * planar.dispose();
 * ```
 */
export class PlanarFlow extends FlowLayer {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'PlanarFlow';
  /** The direction of the shift, [features]. */
  readonly u: tf.Variable;
  /** The normal of the hyperplane, [features]. */
  readonly w: tf.Variable;
  /** The offset of the hyperplane, a scalar. */
  readonly bias: tf.Variable;

  /**
   * A planar flow layer.
   *
   * @param options - `features` and `seed`; see {@link SimpleFlowOptions}.
   */
  constructor(options: SimpleFlowOptions) {
    super('PlanarFlow', options.features);
    const d = this.features;
    const seed = options.seed ?? randomSeed();
    this.u = this.createParameter('u', [d], () => smallUniform([d], d, { seed, stream: 0 }));
    this.w = this.createParameter('w', [d], () => smallUniform([d], d, { seed, stream: 1 }));
    this.bias = this.createParameter('bias', [], () => smallUniform([], d, { seed, stream: 2 }));
  }

  get fastDirection(): FlowDirection {
    return 'forward';
  }

  override getConfig(): ModuleConfig {
    return { features: this.features };
  }

  /** Rebuilds the layer from {@link PlanarFlow.getConfig}'s output (fresh parameters). */
  static fromConfig(config: ModuleConfig, context: BuildContext): PlanarFlow {
    return new PlanarFlow({
      features: context.read(config, 'PlanarFlow').positiveInteger('features'),
    });
  }

  /** û [D], softplus(w·u) and w·û = softplus(w·u) - 1 (a scalar > -1). */
  #constrained(): { uHat: tf.Tensor; softplusWu: tf.Tensor; wuHat: tf.Tensor } {
    const wu = tf.sum(tf.mul(this.w, this.u));
    const softplusWu = tf.softplus(wu);
    const wuHat = tf.sub(softplusWu, 1);
    const wNorm2 = tf.add(tf.sum(tf.square(this.w)), 1e-12);
    const uHat = tf.add(this.u, tf.mul(tf.div(tf.sub(wuHat, wu), wNorm2), this.w));
    return { uHat, softplusWu, wuHat };
  }

  /** log(1 + sech²(a) w·û) = log(tanh²(a) + sech²(a) softplus(w·u)). */
  #logDet(a: tf.Tensor, softplusWu: tf.Tensor): tf.Tensor {
    return tf.log(tf.add(tf.square(tf.tanh(a)), tf.mul(sechSquared(a), softplusWu)));
  }

  protected computeForward(x: tf.Tensor): FlowForward {
    const { uHat, softplusWu } = this.#constrained();
    const a = tf.add(tf.sum(tf.mul(x, this.w), -1), this.bias);
    const y = tf.add(x, tf.mul(tf.expandDims(tf.tanh(a), -1), uHat));
    return { y, logDet: this.#logDet(a, softplusWu) };
  }

  protected computeInverse(y: tf.Tensor): FlowInverse {
    const { uHat, softplusWu, wuHat } = this.#constrained();
    const target = tf.add(tf.sum(tf.mul(y, this.w), -1), this.bias); // a + (w·û) tanh(a)
    const g = (a: tf.Tensor) => tf.sub(tf.add(a, tf.mul(wuHat, tf.tanh(a))), target);
    const a0 = bisect(target, wuHat);
    // One Newton step on the tape: the value stays a0 (g(a0) = 0 to float32 precision) and its
    // gradient is -g_theta / g_a, that of the exact root.
    const slope = tf.add(1, tf.mul(wuHat, sechSquared(a0)));
    const a = tf.sub(a0, tf.div(g(a0), slope));
    const x = tf.sub(y, tf.mul(tf.expandDims(tf.tanh(a), -1), uHat));
    return { x, logDet: tf.neg(this.#logDet(a, softplusWu)) };
  }
}

/**
 * The root of a + c tanh(a) = target (c > -1) by bisection on [target - |c|, target + |c|], as
 * one op without a gradient (its comparisons stay off the tape; the caller's Newton step
 * carries the gradient).
 */
const bisect = tf.customGrad(
  (target: tf.Tensor | tf.GradSaveFunc, c: tf.Tensor | tf.GradSaveFunc) => ({
    value: bisection(target as tf.Tensor, c as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => [tf.zerosLike(dy), tf.zerosLike(c as tf.Tensor)],
  }),
) as (target: tf.Tensor, c: tf.Tensor) => tf.Tensor;

function bisection(target: tf.Tensor, c: tf.Tensor): tf.Tensor {
  const width = tf.abs(c);
  let low = tf.sub(target, width);
  let high = tf.add(target, width);
  for (let step = 0; step < BISECTION_STEPS; step++) {
    const mid = tf.mul(tf.add(low, high), 0.5);
    const above = tf.greater(tf.add(mid, tf.mul(c, tf.tanh(mid))), target);
    high = tf.where(above, mid, high);
    low = tf.where(above, low, mid);
  }
  return tf.mul(tf.add(low, high), 0.5);
}
