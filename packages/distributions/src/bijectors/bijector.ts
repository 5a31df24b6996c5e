import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { type Direction, PairCache } from '../internal/bijector-cache.js';
import type { Constraint } from '../internal/constraints.js';
import { type ParamLike, toFloat32 } from '../internal/params.js';
import { formatShape } from '../internal/shapes.js';

/**
 * Options every bijector constructor takes.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { type BijectorOptions, Scale } from '@vae/distributions';
 *
 * const options: BijectorOptions = { cache: false, validateArgs: false };
 * const double = new Scale({ scale: 2, ...options });
 * double.forward([1, 2]).print(); // -> [2, 4]
 * ```
 */
export interface BijectorOptions {
  /** Check the parameters at construction (reads data back). Default true. */
  validateArgs?: boolean;
  /** Remember the last forward/inverse pair (TFP's cache; see {@link Bijector}). Default true. */
  cache?: boolean;
}

/**
 * What a subclass hands to the {@link Bijector} constructor.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Bijector, type BijectorDefinition, constraints } from '@vae/distributions';
 *
 * const definition: BijectorDefinition = {
 *   name: 'Reverse',
 *   domain: constraints.realVector,
 *   codomain: constraints.realVector,
 * };
 * class Reverse extends Bijector {
 *   constructor() {
 *     super(definition);
 *   }
 *   protected computeForward(x: tf.Tensor) {
 *     return tf.reverse(x, -1);
 *   }
 *   protected computeInverse(y: tf.Tensor) {
 *     return tf.reverse(y, -1);
 *   }
 *   protected computeForwardLogDet(x: tf.Tensor) {
 *     return tf.zeros(x.shape.slice(0, -1));
 *   }
 * }
 * new Reverse().forward([1, 2, 3]).print(); // -> [3, 2, 1]
 * ```
 */
export interface BijectorDefinition {
  /** Class name used in messages (survives minification, unlike `constructor.name`). */
  name: string;
  /** Valid inputs of `forward`; its `eventRank` is {@link Bijector.domainEventRank}. */
  domain: Constraint;
  /** Valid inputs of `inverse`; its `eventRank` is {@link Bijector.codomainEventRank}. */
  codomain: Constraint;
  /** Remember the last forward/inverse pair (default true). */
  cache?: boolean | undefined;
  /** Tensors the bijector created (a `ParamScope`'s `owned`), freed by `dispose()`. */
  owned?: tf.Tensor[];
}

type Method = 'forward' | 'inverse' | 'forwardLogDetJacobian' | 'inverseLogDetJacobian';

interface BijectorState {
  cache: PairCache;
  owned: tf.Tensor[];
}

// Package-private state, reachable by `rememberDraw`/`adoptTensors` but not by users.
const states = new WeakMap<Bijector, BijectorState>();

function stateOf(bijector: Bijector): BijectorState {
  return states.get(bijector)!;
}

/**
 * A differentiable bijection y = f(x) with its log-Jacobian determinant (torch's `Transform`,
 * TFP's `Bijector`). A subclass provides `computeForward`, `computeInverse` and
 * `computeForwardLogDet` (and `computeInverseLogDet` where a direct form is better); the base
 * converts inputs, checks their rank, runs the work in `tf.tidy`, and caches.
 *
 * **Event ranks.** `domainEventRank` (`domain.eventRank`) is the number of trailing axes of x
 * that form one input (0 for elementwise bijectors, 1 for `StickBreaking`), and
 * `codomainEventRank` that of y (2 for `CorrCholesky`). These are torch's
 * `domain.event_dim`/`codomain.event_dim`, not TFP's `forward_min_event_ndims`: a bijector here
 * has one fixed event rank and `TransformedDistribution` sums elementwise log-dets over any
 * further event axes, so there is no `event_ndims` argument to pass around (and no "min").
 *
 * **Shapes.** `forwardShape`/`inverseShape` map `[...batch, ...domainEvent]` to
 * `[...batch, ...codomainEvent]` and back. `forwardLogDetJacobian(x)` is
 * `[...batch]` = x's shape without the `domainEventRank` trailing axes (broadcast against
 * parameters), log |det dy/dx|; for bijectors whose codomain is embedded in a larger space
 * (`StickBreaking`, `SoftmaxCentered`: x in R^(K-1), y on the simplex in R^K;
 * `CorrCholesky`) it is the log-determinant of the square map from x to the free coordinates of
 * y (all but the last entry; the strictly lower triangle), the convention of torch and of
 * `Dirichlet.logProb`.
 *
 * **Values.** Inputs are not checked against `domain`/`codomain` (that would read data back on
 * every call): outside them the result is NaN or infinite. `TransformedDistribution.logProb`
 * checks its values against the codomain when `validateArgs` is on.
 *
 * **Ownership and the cache.** Every method returns a new tensor the caller owns and never
 * disposes its argument. With `cache` (default true) a bijector remembers its last
 * (argument, result) pair *by reference*: `inverse(forward(x))` returns a copy of `x` exactly,
 * and `TransformedDistribution.logProb` of its own samples does not invert numerically. The
 * cache borrows: it allocates nothing, is used only while both tensors are alive and unchanged
 * (a disposed tensor or a reassigned `tf.Variable` is a miss), and cannot leak. The one tensor
 * it owns is the base draw of a `TransformedDistribution.sample`/`rsample`, held until the next
 * call replaces it, `clearCache()`, or `dispose()` of the bijector or the distribution (so a
 * leak check counts it until then). A hit returns a copy of the cached tensor, and gradients
 * flow to whatever produced *that* tensor (the pathwise gradient of `rsample`), not through the
 * inverse: to differentiate `logProb` of a stopped sample with respect to the parameters of a
 * trainable bijector (score-function gradients), call `clearCache()` first or pass
 * `cache: false`. Parameters are read at each call, so a bijector may compute from
 * `tf.Variable`s (a trainable flow), and gradients flow to them.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Bijector, constraints } from '@vae/distributions';
 *
 * class Cube extends Bijector {
 *   constructor() {
 *     super({ name: 'Cube', domain: constraints.real, codomain: constraints.real });
 *   }
 *   protected computeForward(x: tf.Tensor) {
 *     return tf.pow(x, 3);
 *   }
 *   protected computeInverse(y: tf.Tensor) {
 *     return tf.mul(tf.sign(y), tf.pow(tf.abs(y), 1 / 3));
 *   }
 *   protected computeForwardLogDet(x: tf.Tensor) {
 *     return tf.add(Math.log(3), tf.mul(2, tf.log(tf.abs(x))));
 *   }
 * }
 * const cube = new Cube();
 * const x = tf.tensor1d([1, 2]);
 * const y = cube.forward(x);
 * y.print(); // -> [1, 8]
 * const back = cube.inverse(y); // a copy of x, exactly (from the cache)
 * back.print(); // -> [1, 2]
 * ```
 */
export abstract class Bijector {
  /** Class name used in messages. */
  readonly name: string;
  /** Valid inputs of `forward`. */
  readonly domain: Constraint;
  /** Valid inputs of `inverse` (the support of a transformed distribution). */
  readonly codomain: Constraint;

  /**
   * Called by a subclass with its name and the constraints of its inputs and outputs.
   *
   * @param definition - `name` (used in messages), `domain` and `codomain` constraints (their
   *   `eventRank` is the bijector's), and `cache`, `owned` (see {@link BijectorDefinition}).
   */
  protected constructor(definition: BijectorDefinition) {
    this.name = definition.name;
    this.domain = definition.domain;
    this.codomain = definition.codomain;
    states.set(this, {
      cache: new PairCache(definition.cache ?? true),
      owned: definition.owned ?? [],
    });
  }

  /** Trailing axes of x forming one input (torch's `domain.event_dim`). */
  get domainEventRank(): number {
    return this.domain.eventRank ?? 0;
  }

  /** Trailing axes of y forming one output (torch's `codomain.event_dim`). */
  get codomainEventRank(): number {
    return this.codomain.eventRank ?? 0;
  }

  /** y = f(x): `[...batch, ...domainEvent]` -> `[...batch, ...codomainEvent]`. */
  forward(x: ParamLike): tf.Tensor {
    return this.mapCached('forward', x);
  }

  /** x = f^-1(y): `[...batch, ...codomainEvent]` -> `[...batch, ...domainEvent]`. */
  inverse(y: ParamLike): tf.Tensor {
    return this.mapCached('inverse', y);
  }

  /** log |det df/dx| at x: `[...batch, ...domainEvent]` -> `[...batch]`. */
  forwardLogDetJacobian(x: ParamLike): tf.Tensor {
    return this.run('forwardLogDetJacobian', x, (t) => this.computeForwardLogDet(t));
  }

  /** log |det df^-1/dy| at y = -forwardLogDetJacobian(f^-1(y)): `[...batch, ...codomainEvent]` -> `[...batch]`. */
  inverseLogDetJacobian(y: ParamLike): tf.Tensor {
    return this.run('inverseLogDetJacobian', y, (t) => this.computeInverseLogDet(t));
  }

  /** The shape of `forward` of a tensor of shape `shape` (throws if it is not a valid input). */
  forwardShape(shape: readonly number[]): number[] {
    this.checkRank('forwardShape', shape, this.domainEventRank);
    return [...shape];
  }

  /** The shape of `inverse` of a tensor of shape `shape` (throws if it is not a valid input). */
  inverseShape(shape: readonly number[]): number[] {
    this.checkRank('inverseShape', shape, this.codomainEventRank);
    return [...shape];
  }

  /**
   * 1 or -1 (a number, or a tensor the caller owns, broadcast like the parameters) where f is
   * increasing or decreasing: defined for monotone scalar bijectors (event ranks 0), used by
   * `TransformedDistribution.cdf`. Throws `UNSUPPORTED` otherwise.
   */
  sign(): number | tf.Tensor {
    throw new VaeError('UNSUPPORTED', `${this.name}.sign: not a monotone scalar bijector`);
  }

  /** Forgets the cached pair (and frees the base draw it may own). */
  clearCache(): void {
    stateOf(this).cache.clear();
  }

  /** Frees the tensors the bijector created and the cache; never the caller's. Idempotent. */
  dispose(): void {
    const state = stateOf(this);
    state.cache.clear();
    tf.dispose(state.owned);
    state.owned.length = 0;
  }

  /** f(x) on a float32 tensor x of rank >= `domainEventRank`; runs inside `tf.tidy`. */
  protected abstract computeForward(x: tf.Tensor): tf.Tensor;

  /** f^-1(y) on a float32 tensor y of rank >= `codomainEventRank`; runs inside `tf.tidy`. */
  protected abstract computeInverse(y: tf.Tensor): tf.Tensor;

  /** log |det df/dx| `[...batch]`; runs inside `tf.tidy`. */
  protected abstract computeForwardLogDet(x: tf.Tensor): tf.Tensor;

  /** log |det df^-1/dy| `[...batch]`; by default -computeForwardLogDet(inverse(y)). */
  protected computeInverseLogDet(y: tf.Tensor): tf.Tensor {
    return tf.neg(this.computeForwardLogDet(this.inverse(y)));
  }

  /** Throws `INVALID_ARGUMENT` unless `shape` has at least `rank` axes. */
  protected checkRank(method: string, shape: readonly number[], rank: number): void {
    if (shape.length < rank) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `${this.name}.${method}: needs at least ${rank} axis${rank === 1 ? '' : 'es'} (the event axes), got shape ${formatShape(shape)}`,
      );
    }
  }

  private mapCached(direction: Direction, value: ParamLike): tf.Tensor {
    const cache = stateOf(this).cache;
    const hit = cache.lookup(direction, value);
    if (hit !== undefined) return hit;
    const result =
      direction === 'forward'
        ? this.run('forward', value, (t) => this.computeForward(t))
        : this.run('inverse', value, (t) => this.computeInverse(t));
    if (value instanceof tf.Tensor && value.dtype === 'float32') {
      cache.remember(direction, value, result);
    }
    return result;
  }

  private run(method: Method, value: ParamLike, compute: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
    const onDomain = method === 'forward' || method === 'forwardLogDetJacobian';
    const rank = onDomain ? this.domainEventRank : this.codomainEventRank;
    return tf.tidy(() => {
      const t = toFloat32(value);
      this.checkRank(method, t.shape, rank);
      const result = compute(t);
      // The caller owns the result: never hand back the argument itself.
      return result === value ? result.clone() : result;
    });
  }
}

/**
 * Records the draw of a transformed distribution: `x` (kept out of tidy scopes; the cache now
 * owns it) was mapped to the sample `y` handed to the user. Package-private.
 */
export function rememberDraw(bijector: Bijector, x: tf.Tensor, y: tf.Tensor): void {
  stateOf(bijector).cache.rememberOwned(x, y);
}

/** Gives `bijector` ownership of tensors created for it (freed by its `dispose()`). Package-private. */
export function adoptTensors(bijector: Bijector, tensors: tf.Tensor[]): void {
  stateOf(bijector).owned.push(...tensors);
}
