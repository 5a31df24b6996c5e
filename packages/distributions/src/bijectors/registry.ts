import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { simplex } from '../dirichlet.js';
import {
  type Constraint,
  corrCholesky,
  finiteReal,
  type HalfLineConstraint,
  type IndependentConstraint,
  type IntervalConstraint,
  nonNegative,
  positive,
  positiveValue,
  real,
  realVector,
  signedUnitInterval,
  unitInterval,
} from '../internal/constraints.js';
import { Affine } from './affine.js';
import { adoptTensors, type Bijector } from './bijector.js';
import { Chain } from './chain.js';
import { CorrCholesky } from './corr-cholesky.js';
import { Exp } from './exp.js';
import { Identity } from './identity.js';
import { Sigmoid } from './sigmoid.js';
import { StickBreaking } from './stick-breaking.js';
import { Tanh } from './tanh.js';

/**
 * Builds the bijector from unconstrained space onto a constraint (it receives the constraint,
 * so a factory-made one passes its bounds). The caller of `bijectTo` owns the result.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import {
 *   type BijectorFactory,
 *   bijectTo,
 *   Chain,
 *   Exp,
 *   type HalfLineConstraint,
 *   registerBijectTo,
 *   Shift,
 * } from '@vae/distributions';
 *
 * // Replaces the default onto (bound, ∞), exp then an affine map, with exp then a shift.
 * const toHalfOpen: BijectorFactory<HalfLineConstraint> = (c) =>
 *   new Chain([new Exp(), new Shift({ shift: c.bound })]);
 * registerBijectTo('greaterThan', toHalfOpen, { replace: true });
 * ```
 */
export type BijectorFactory<C extends Constraint = Constraint> = (constraint: C) => Bijector;

/** A chain that owns its parts (built here from numbers and derived tensors). */
class OwningChain extends Chain {
  override dispose(): void {
    super.dispose();
    for (const part of this.bijectors) part.dispose();
  }
}

function toInterval(c: IntervalConstraint): Bijector {
  const width = tf.sub(c.high, c.low);
  const affine = new Affine({ shift: c.low, scale: width, validateArgs: false });
  adoptTensors(affine, [width]);
  return new OwningChain([new Sigmoid(), affine]);
}

function toHalfLine(c: HalfLineConstraint): Bijector {
  const scale = c.kind === 'greaterThan' ? 1 : -1;
  return new OwningChain([new Exp(), new Affine({ shift: c.bound, scale, validateArgs: false })]);
}

const registry = new Map<Constraint | string, BijectorFactory>([
  [real, () => new Identity()],
  [finiteReal, () => new Identity()],
  [realVector, () => new Identity()],
  [positive, () => new Exp()],
  [positiveValue, () => new Exp()],
  [nonNegative, () => new Exp()],
  [unitInterval, () => new Sigmoid()],
  [signedUnitInterval, () => new Tanh()],
  [simplex, () => new StickBreaking()],
  [corrCholesky, () => new CorrCholesky()],
  ['interval', toInterval as BijectorFactory],
  ['greaterThan', toHalfLine as BijectorFactory],
  ['lessThan', toHalfLine as BijectorFactory],
  ['independent', (c) => bijectTo((c as IndependentConstraint).base)],
]);

/**
 * The bijector from unconstrained space onto `constraint` (torch's `biject_to`, TFP's default
 * event-space bijector): optimize or sample in the reals, map onto a distribution's support
 * with `bijectTo(d.support)`. Looks up the constraint object itself, then its `kind`
 * (`interval` -> sigmoid then affine onto [low, high]; `greaterThan`/`lessThan` -> exp then
 * shift, reflected for `lessThan`; `independent` -> the base's bijector, whose log-dets a
 * `TransformedDistribution` sums over the event axes). Registered: real -> `Identity`;
 * positive, non-negative -> `Exp`; [0, 1] -> `Sigmoid`; [-1, 1] -> `Tanh`; simplex ->
 * `StickBreaking`; Cholesky factors of correlation matrices -> `CorrCholesky`. Discrete
 * supports have none: `UNSUPPORTED`. The caller owns (and disposes) the bijector; it borrows
 * the constraint's bound tensors.
 *
 * @param constraint - The support to map onto: a distribution's `support`, a bijector's
 *   `codomain`, one of {@link constraints}, or your own with a registered `kind`.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { bijectTo, Uniform } from '@vae/distributions';
 *
 * const d = new Uniform({ low: -1, high: 3 });
 * const toSupport = bijectTo(d.support); // Chain([Sigmoid, Affine]) onto [-1, 3]
 * toSupport.forward([0]).print(); // -> [1]
 * toSupport.dispose();
 * ```
 */
export function bijectTo(constraint: Constraint): Bijector {
  if (
    typeof constraint !== 'object' ||
    constraint === null ||
    typeof constraint.check !== 'function'
  ) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `bijectTo: \`constraint\` must be a Constraint, got ${String(constraint)}`,
    );
  }
  const factory =
    registry.get(constraint) ??
    (constraint.kind === undefined ? undefined : registry.get(constraint.kind));
  if (factory === undefined) {
    throw new VaeError(
      'UNSUPPORTED',
      `bijectTo: no bijector registered onto "${constraint.description}"${constraint.kind === undefined ? '' : ` (kind '${constraint.kind}')`}; discrete supports have none, and registerBijectTo(constraint, factory) adds one`,
    );
  }
  return factory(constraint);
}

/**
 * Registers the bijector onto a constraint object, or onto every constraint of a `kind`
 * (a string) built by a factory. Registering a key again throws `INVALID_ARGUMENT` unless
 * `{ replace: true }`.
 *
 * @param key - A constraint object (matched by identity), or a `kind` string matching every
 *   constraint of that kind.
 * @param factory - Builds the bijector from the constraint (the caller of `bijectTo` owns it).
 * @param options - `replace: true` to replace an earlier registration of `key`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { bijectTo, Chain, type Constraint, registerBijectTo, Scale, Sigmoid } from '@vae/distributions';
 *
 * const wrapped: Constraint = {
 *   kind: 'wrapped',
 *   description: 'in [0, 2 pi)',
 *   check: (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.less(x, 2 * Math.PI)),
 * };
 * registerBijectTo('wrapped', () => new Chain([new Sigmoid(), new Scale({ scale: 2 * Math.PI })]));
 * const toAngle = bijectTo(wrapped);
 * toAngle.forward([0]).print(); // -> [3.1416]
 * ```
 */
export function registerBijectTo<C extends Constraint>(
  key: C | string,
  factory: BijectorFactory<C>,
  options: { replace?: boolean } = {},
): void {
  const validKey = typeof key === 'string' || (typeof key === 'object' && key !== null);
  if (!validKey || typeof factory !== 'function') {
    throw new VaeError(
      'INVALID_ARGUMENT',
      'registerBijectTo: `key` must be a Constraint or a kind string and `factory` a function',
    );
  }
  if (registry.has(key) && options.replace !== true) {
    const name = typeof key === 'string' ? `kind '${key}'` : `"${key.description}"`;
    throw new VaeError(
      'INVALID_ARGUMENT',
      `registerBijectTo: a bijector onto ${name} is already registered; pass { replace: true } to replace it`,
    );
  }
  registry.set(key, factory as BijectorFactory);
}
