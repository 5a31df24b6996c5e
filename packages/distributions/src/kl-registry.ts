import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Distribution } from './distribution.js';
import { formatShape, shapesEqual } from './internal/shapes.js';

/**
 * A distribution class, abstract ones included (used as a registry key).
 *
 * @example
 * ```ts
 * import { type DistributionClass, Laplace, Normal } from '@vae/distributions';
 *
 * // Classes, as registerKL takes them (abstract classes and subclasses included).
 * const families: DistributionClass[] = [Normal, Laplace];
 * console.log(families.map((family) => family.name)); // -> [ 'Normal', 'Laplace' ]
 * ```
 */
export type DistributionClass<T extends Distribution = Distribution> = abstract new (
  ...args: never[]
) => T;

/**
 * A closed-form KL(p || q) returning `[...batch]`; it runs inside `tf.tidy`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Exponential, type KlFunction } from '@vae/distributions';
 *
 * const klExponential: KlFunction<Exponential, Exponential> = (p, q) => {
 *   const ratio = tf.div(q.rate, p.rate);
 *   return tf.sub(tf.sub(ratio, tf.log(ratio)), 1);
 * };
 * klExponential(new Exponential({ rate: 1 }), new Exponential({ rate: 2 })).print(); // -> 0.3069
 * ```
 */
export type KlFunction<
  P extends Distribution = Distribution,
  Q extends Distribution = Distribution,
> = (p: P, q: Q) => tf.Tensor;

const registry = new Map<DistributionClass, Map<DistributionClass, KlFunction>>();
const cache = new Map<DistributionClass, Map<DistributionClass, KlFunction | null>>();

/**
 * Registers a closed-form KL(p || q) for instances of `P` and `Q` (and their subclasses, unless
 * a more specific pair is registered). The function runs inside `tf.tidy` and returns
 * `[...batch]`. Registering a pair that already has a function is an error unless
 * `{ replace: true }` is passed.
 *
 * @param P - The class of `p` in KL(p || q); it applies to subclasses too.
 * @param Q - The class of `q`.
 * @param fn - The closed form: receives the two distributions and returns `[...batch]`
 *   (it runs inside `tf.tidy`).
 * @param options - `replace: true` to replace an earlier registration of the pair.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { klDivergence, Normal, registerKL } from '@vae/distributions';
 *
 * class Spike extends Normal {}
 * registerKL(Spike, Normal, (p, q) => tf.sub(q.scale, p.scale)); // a toy closed form
 * const kl = klDivergence(new Spike({ loc: 0, scale: 1 }), new Normal({ loc: 0, scale: 2 }));
 * kl.print(); // -> 1
 * ```
 */
// biome-ignore lint/complexity/useMaxParams: three positional parameters, then an options object (STYLE.md)
export function registerKL<P extends Distribution, Q extends Distribution>(
  P: DistributionClass<P>,
  Q: DistributionClass<Q>,
  fn: KlFunction<P, Q>,
  options: { replace?: boolean } = {},
): void {
  if (typeof P !== 'function' || typeof Q !== 'function' || typeof fn !== 'function') {
    throw new VaeError(
      'INVALID_ARGUMENT',
      'registerKL: `P` and `Q` must be classes and `fn` a function',
    );
  }
  let row = registry.get(P);
  if (row === undefined) {
    row = new Map();
    registry.set(P, row);
  }
  if (row.has(Q) && options.replace !== true) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `registerKL: KL(${P.name} || ${Q.name}) is already registered; pass { replace: true } to replace it`,
    );
  }
  row.set(Q, fn as KlFunction);
  cache.clear();
}

/** The classes on `instance`'s prototype chain, most specific first. */
function classChain(instance: object): DistributionClass[] {
  const chain: DistributionClass[] = [];
  let proto: unknown = Object.getPrototypeOf(instance);
  while (proto !== null && proto !== Object.prototype) {
    chain.push((proto as { constructor: DistributionClass }).constructor);
    proto = Object.getPrototypeOf(proto);
  }
  return chain;
}

/** Most specific match: smallest total distance up both chains, ties to the more specific `p`. */
function lookup(p: Distribution, q: Distribution): KlFunction | null {
  const pChain = classChain(p);
  const qChain = classChain(q);
  let best: KlFunction | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let i = 0; i < pChain.length; i++) {
    const row = registry.get(pChain[i]!);
    if (row === undefined) continue;
    for (let j = 0; j < qChain.length; j++) {
      const fn = row.get(qChain[j]!);
      // Strictly smaller total distance wins; on a tie the earlier (more specific) p keeps it.
      if (fn !== undefined && i + j < bestScore) {
        best = fn;
        bestScore = i + j;
      }
    }
  }
  return best;
}

function cachedLookup(p: Distribution, q: Distribution): KlFunction | null {
  const pClass = p.constructor as DistributionClass;
  const qClass = q.constructor as DistributionClass;
  let row = cache.get(pClass);
  if (row === undefined) {
    row = new Map();
    cache.set(pClass, row);
  }
  if (!row.has(qClass)) row.set(qClass, lookup(p, q));
  return row.get(qClass) ?? null;
}

/**
 * True when {@link klDivergence} has a closed form for KL(p || q) (a registered pair
 * of classes on their prototype chains).
 *
 * @param p - The first distribution of KL(p || q).
 * @param q - The second distribution of KL(p || q).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Gumbel, hasKL, Laplace } from '@vae/distributions';
 *
 * const laplace = new Laplace({ loc: 0, scale: 1 });
 * console.log(hasKL(laplace, new Gumbel({ loc: 0, scale: 1 }))); // -> false
 * console.log(hasKL(laplace, new Laplace({ loc: 1, scale: 2 }))); // -> true
 * ```
 */
export function hasKL(p: Distribution, q: Distribution): boolean {
  return cachedLookup(p, q) !== null;
}

/**
 * KL(p || q) `[...batch]` from the registry of closed forms: the most specific registered pair
 * of classes on the prototype chains of `p` and `q`. Pairs whose supports do not nest give
 * +Infinity. Throws `KL_NOT_REGISTERED` for a pair with no closed form (estimate it with
 * `klMonteCarlo` from `@vae/divergence`) and `INVALID_ARGUMENT` when event shapes differ.
 *
 * @param p - The distribution the expectation is taken under (borrowed).
 * @param q - The distribution compared with `p`, of the same event shape (borrowed).
 * @returns KL(p || q) in nats, `[...batch]` (the broadcast batch shape), owned by the caller.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Independent, klDivergence, Normal } from '@vae/distributions';
 *
 * const mu = tf.tensor2d([[0, 0], [1, -1]]); // [batch, latentDim]
 * const sigma = tf.tensor2d([[1, 1], [0.5, 2]]);
 * const q = new Independent(new Normal({ loc: mu, scale: sigma }), 1);
 * const prior = new Independent(new Normal({ loc: tf.zerosLike(mu), scale: tf.onesLike(mu) }), 1);
 * // One KL per example, [batch]:
 * klDivergence(q, prior).print(); // -> [0, 2.125]
 * ```
 */
export function klDivergence(p: Distribution, q: Distribution): tf.Tensor {
  const fn = cachedLookup(p, q);
  const names = `${p.constructor.name} || ${q.constructor.name}`;
  if (fn === null) {
    throw new VaeError(
      'KL_NOT_REGISTERED',
      `klDivergence: no closed form registered for KL(${names}); estimate it with klMonteCarlo from @vae/divergence, or add one with registerKL(${p.constructor.name}, ${q.constructor.name}, fn)`,
    );
  }
  if (!shapesEqual(p.eventShape, q.eventShape)) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `klDivergence: event shapes differ for KL(${names}): ${formatShape(p.eventShape)} vs ${formatShape(q.eventShape)}`,
    );
  }
  return tf.tidy(() => fn(p, q));
}
