import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { type Constraint, independent, real } from '../internal/constraints.js';
import { sumRightmost } from '../internal/math.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * Composes bijectors **in the order listed**: `new Chain([a, b]).forward(x)` is
 * `b.forward(a.forward(x))`, as torch's `ComposeTransform` (TFP's and distrax's `Chain` list them
 * the other way round). Event ranks follow torch: the chain's domain rank is the largest any
 * part needs, and each part's log-det is summed over the event axes it does not reduce itself.
 * The parts are borrowed: `dispose()` frees only the chain's cache. An empty chain is the
 * identity.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Affine, Chain, Sigmoid } from '@vae/distributions';
 *
 * // x in R -> (low, high): a sigmoid, then scale by the width and shift by low.
 * const toInterval = new Chain([new Sigmoid(), new Affine({ shift: -1, scale: 3 })]); // (-1, 2)
 * toInterval.forward([0]).print(); // -> [0.5]
 * ```
 */
export class Chain extends Bijector {
  /** The parts, in the order given: the first is applied first by `forward`. */
  readonly bijectors: readonly Bijector[];

  /**
   * Composes bijectors, applied in the order given.
   *
   * @param bijectors - The parts, first applied first (borrowed: never disposed by the chain).
   * @param options - `cache` (default true): remember the last forward/inverse pair of the chain.
   */
  constructor(bijectors: Bijector[], options: Pick<BijectorOptions, 'cache'> = {}) {
    if (!Array.isArray(bijectors) || !bijectors.every((b) => b instanceof Bijector)) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `Chain: \`bijectors\` must be an array of Bijector instances, got ${String(bijectors)}`,
      );
    }
    const { domain, codomain } = chainConstraints(bijectors);
    super({ name: 'Chain', domain, codomain, cache: options.cache });
    this.bijectors = [...bijectors];
  }

  override forwardShape(shape: readonly number[]): number[] {
    this.checkRank('forwardShape', shape, this.domainEventRank);
    return this.bijectors.reduce<number[]>((s, b) => b.forwardShape(s), [...shape]);
  }

  override inverseShape(shape: readonly number[]): number[] {
    this.checkRank('inverseShape', shape, this.codomainEventRank);
    return this.bijectors.reduceRight<number[]>((s, b) => b.inverseShape(s), [...shape]);
  }

  /** The product of the parts' signs (all parts scalar and monotone), else `UNSUPPORTED`. */
  override sign(): number | tf.Tensor {
    let numeric = 1;
    const tensors: tf.Tensor[] = [];
    try {
      for (const b of this.bijectors) {
        const s = b.sign();
        if (typeof s === 'number') numeric *= s;
        else tensors.push(s);
      }
      if (tensors.length === 0) return numeric;
      return tf.tidy(() => tensors.reduce<tf.Tensor>((a, b) => tf.mul(a, b), tf.scalar(numeric)));
    } finally {
      tf.dispose(tensors);
    }
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    return this.bijectors.reduce((h, b) => b.forward(h), x);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    return this.bijectors.reduceRight((h, b) => b.inverse(h), y);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    if (this.bijectors.length === 0) return tf.zerosLike(x);
    let eventRank = this.domainEventRank;
    let h = x;
    let total: tf.Tensor | undefined;
    this.bijectors.forEach((b, i) => {
      const term = sumRightmost(b.forwardLogDetJacobian(h), eventRank - b.domainEventRank);
      total = total === undefined ? term : tf.add(total, term);
      eventRank += b.codomainEventRank - b.domainEventRank;
      if (i < this.bijectors.length - 1) h = b.forward(h);
    });
    return total!;
  }
}

/** torch's ComposeTransform domain and codomain: event ranks raised to what every part needs. */
function chainConstraints(bijectors: readonly Bijector[]): {
  domain: Constraint;
  codomain: Constraint;
} {
  const first = bijectors[0];
  const last = bijectors[bijectors.length - 1];
  if (first === undefined || last === undefined) return { domain: real, codomain: real };
  let domainRank = last.codomainEventRank;
  for (const b of [...bijectors].reverse()) {
    domainRank = Math.max(domainRank + b.domainEventRank - b.codomainEventRank, b.domainEventRank);
  }
  let codomainRank = first.domainEventRank;
  for (const b of bijectors) {
    codomainRank = Math.max(
      codomainRank + b.codomainEventRank - b.domainEventRank,
      b.codomainEventRank,
    );
  }
  const raise = (c: Constraint, rank: number) =>
    rank > (c.eventRank ?? 0) ? independent(c, rank - (c.eventRank ?? 0)) : c;
  return { domain: raise(first.domain, domainRank), codomain: raise(last.codomain, codomainRank) };
}
