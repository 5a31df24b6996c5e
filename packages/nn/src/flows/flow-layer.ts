import type * as tf from '@tensorflow/tfjs-core';
import type { Bijector } from '@vae/distributions';
import { ensureArgument, formatShape } from '@vae/divergence';
import { FlowBijector } from '../internal/flow-bijector.js';
import { Module } from '../module.js';

/**
 * Which direction of a flow layer is one parallel pass: `'forward'` (IAF, planar: the
 * inverse is sequential or iterative), `'inverse'` (MAF: sampling is sequential), `'both'`
 * (coupling, radial, permutations) or `'neither'` (a stack that mixes them).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { type FlowDirection, MaskedAutoregressiveFlow } from '@vae/nn';
 * const fast: FlowDirection = new MaskedAutoregressiveFlow({ features: 2, seed: 1 }).fastDirection; // 'inverse'
 * ```
 */
export type FlowDirection = 'forward' | 'inverse' | 'both' | 'neither';

/**
 * y = f(x) and log |det df/dx| at x, both `[...batch, features]` and `[...batch]`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { type FlowForward, PlanarFlow } from '@vae/nn';
 * const result: FlowForward = new PlanarFlow({ features: 2, seed: 1 }).forwardAndLogDet(tf.zeros([3, 2]));
 * ```
 */
export type FlowForward = {
  /** y = f(x), [...batch, features]. */
  y: tf.Tensor;
  /** log |det df/dx| at x, [...batch]. */
  logDet: tf.Tensor;
};

/**
 * x = f^-1(y) and log |det df^-1/dy| at y, both `[...batch, features]` and `[...batch]`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { type FlowInverse, RadialFlow } from '@vae/nn';
 * const result: FlowInverse = new RadialFlow({ features: 2, seed: 1 }).inverseAndLogDet(tf.zeros([3, 2]));
 * ```
 */
export type FlowInverse = {
  /** x = f^-1(y), [...batch, features]. */
  x: tf.Tensor;
  /** log |det df^-1/dy| at y, [...batch]. */
  logDet: tf.Tensor;
};

/**
 * Options of {@link FlowLayer.bijector}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { FlowBijectorOptions } from '@vae/nn';
 * const options: FlowBijectorOptions = { context: tf.zeros([4, 16]), cache: false };
 * ```
 */
export interface FlowBijectorOptions {
  /** The conditioning input `[...batch, contextFeatures]` of a conditional layer (borrowed). */
  context?: tf.Tensor;
  /** Remember the last forward/inverse pair, as every `Bijector` does (default true). */
  cache?: boolean;
}

/**
 * Base of the trainable normalizing-flow layers: a {@link Module} (parameters by name, saved
 * and loaded with the model) that is an invertible map y = f(x) on vectors
 * `[...batch, features]`, with its log-Jacobian determinant, optionally conditioned on a
 * context `[...batch, contextFeatures]` (broadcast against the batch).
 *
 * - `forwardAndLogDet(x, context?)` and `inverseAndLogDet(y, context?)` are the raw passes:
 *   they create their intermediates in the caller's scope (use them inside `tf.tidy`,
 *   `tf.variableGrads` or another module, as `call`), never dispose their inputs, and compute
 *   each log-det in the same pass as the value, from log forms (no log of a product).
 * - `call(x)` is the forward value alone; `apply(x)` the same inside `tf.tidy`.
 * - `bijector({ context, cache })` is a `Bijector` of `@vae/distributions` (for
 *   `TransformedDistribution`, `Chain`, `Invert`) that reads the current parameters at each
 *   call, so gradients reach them; it borrows the layer and the context.
 *
 * The direction convention is that of a flow's sampling path: `forward` maps base noise to
 * samples, `inverse` maps data to noise (the density). {@link FlowLayer.fastDirection} says which
 * is one parallel pass. A subclass implements `computeForward` and `computeInverse`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { AffineCoupling } from '@vae/nn';
 * const layer = new AffineCoupling({ features: 2, hidden: [8], seed: 1 });
 * const { y, logDet } = tf.tidy(() => layer.forwardAndLogDet(tf.ones([5, 2]))); // [5, 2], [5]
 * tf.dispose([y, logDet]);
 * layer.dispose();
 * ```
 */
export abstract class FlowLayer extends Module {
  /** Size of the vectors the layer maps (the last axis). */
  readonly features: number;
  /** Size of the context it is conditioned on; 0 for an unconditional layer. */
  readonly contextFeatures: number;

  /**
   * Called by subclasses with their name and sizes.
   *
   * @param owner - The subclass name, used in error messages.
   * @param features - The number of features the flow transforms.
   * @param contextFeatures - The size of the conditioning context (default 0: unconditional).
   */
  constructor(owner: string, features: number, contextFeatures = 0) {
    super();
    ensureArgument(
      Number.isInteger(features) && features > 0,
      () => `${owner}: \`features\` must be a positive integer, got ${features}`,
    );
    ensureArgument(
      Number.isInteger(contextFeatures) && contextFeatures >= 0,
      () => `${owner}: \`contextFeatures\` must be a non-negative integer, got ${contextFeatures}`,
    );
    this.features = features;
    this.contextFeatures = contextFeatures;
  }

  /** Which direction is one parallel pass (see {@link FlowDirection}). */
  abstract get fastDirection(): FlowDirection;

  /** y = f(x) and log |det df/dx|: `[...batch, features]` -> `[...batch, features]`, `[...batch]`. */
  forwardAndLogDet(x: tf.Tensor, context?: tf.Tensor): FlowForward {
    this.checkInputs('forwardAndLogDet', x, context);
    return this.computeForward(x, context);
  }

  /** x = f^-1(y) and log |det df^-1/dy|: `[...batch, features]` -> `[...batch, features]`, `[...batch]`. */
  inverseAndLogDet(y: tf.Tensor, context?: tf.Tensor): FlowInverse {
    this.checkInputs('inverseAndLogDet', y, context);
    return this.computeInverse(y, context);
  }

  /** The forward value y = f(x) `[...batch, features]` (unconditional layers). */
  call(x: tf.Tensor): tf.Tensor {
    return this.forwardAndLogDet(x).y;
  }

  /**
   * This layer as a `Bijector` (event rank 1 -> 1) bound to `context`: its methods run in
   * `tf.tidy`, return tensors the caller owns and read the current parameters. The caller
   * owns the bijector (`dispose()` frees only its cache); the layer and context are borrowed.
   */
  bijector(options: FlowBijectorOptions = {}): Bijector {
    if (options.context !== undefined) this.checkContext('bijector', options.context);
    return new FlowBijector(this, options.context, options.cache ?? true);
  }

  /** f(x) and its log-det; inputs already checked. Runs in the caller's scope. */
  protected abstract computeForward(x: tf.Tensor, context: tf.Tensor | undefined): FlowForward;

  /** f^-1(y) and its log-det; inputs already checked. Runs in the caller's scope. */
  protected abstract computeInverse(y: tf.Tensor, context: tf.Tensor | undefined): FlowInverse;

  /** The class name used in messages. */
  protected get owner(): string {
    const own = (this.constructor as { className?: string }).className;
    return own ?? this.constructor.name;
  }

  private checkInputs(method: string, value: tf.Tensor, context: tf.Tensor | undefined): void {
    ensureArgument(
      value.rank >= 1 && value.shape[value.rank - 1] === this.features,
      () =>
        `${this.owner}.${method}: the input must be [...batch, ${this.features}], got a tensor of shape ${formatShape(value.shape)}`,
    );
    if (this.contextFeatures > 0) {
      ensureArgument(
        context !== undefined,
        () =>
          `${this.owner}.${method}: this layer is conditioned on a context [...batch, ${this.contextFeatures}]; pass it`,
      );
    }
    if (context !== undefined) this.checkContext(method, context);
  }

  /** Throws unless the layer takes a context and `context` is `[...batch, contextFeatures]`. */
  protected checkContext(method: string, context: tf.Tensor): void {
    ensureArgument(
      this.contextFeatures > 0,
      () => `${this.owner}.${method}: this layer takes no context, got one`,
    );
    ensureArgument(
      context.rank >= 1 && context.shape[context.rank - 1] === this.contextFeatures,
      () =>
        `${this.owner}.${method}: \`context\` must be [...batch, ${this.contextFeatures}], got a tensor of shape ${formatShape(context.shape)}`,
    );
  }
}
