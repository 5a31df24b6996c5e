import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { Bijector, rememberDraw } from './bijectors/bijector.js';
import { Distribution, type DistributionShapes } from './distribution.js';
import { type Constraint, real, unitInterval } from './internal/constraints.js';
import { sumRightmost } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { formatShape, shapesEqual } from './internal/shapes.js';
import { klDivergence, registerKL } from './kl-registry.js';

/** The shapes of base pushed through bijector (torch's TransformedDistribution.__init__). */
function transformedShapes(
  base: Distribution,
  bijector: Bijector,
  scope: ParamScope,
): DistributionShapes & { extraBatch: number[] } {
  const baseShape = [...base.batchShape, ...base.eventShape];
  const baseEventRank = base.eventShape.length;
  const where = `${scope.className}: base of shape ${formatShape(baseShape)} (batch ${formatShape(base.batchShape)}, event ${formatShape(base.eventShape)}) and bijector ${bijector.name}`;
  if (baseShape.length < bijector.domainEventRank) {
    scope.fail(`${where}: the bijector needs ${bijector.domainEventRank} event axes`);
  }
  let forward: number[] = [];
  let expanded: number[] = [];
  try {
    forward = bijector.forwardShape(baseShape);
    expanded = bijector.inverseShape(forward);
  } catch (error) {
    scope.fail(`${where} do not fit: ${(error as Error).message}`);
  }
  // Parameters of the bijector may add leading batch axes (drawn as extra sample axes); an
  // expansion of size-1 axes inside the base's batch would need the base itself expanded.
  const extraRank = expanded.length - baseShape.length;
  if (extraRank < 0 || !shapesEqual(expanded.slice(extraRank), baseShape)) {
    scope.fail(
      `${where}: the bijector's parameters broadcast the base to ${formatShape(expanded)}; build the base with that batch shape`,
    );
  }
  const change = bijector.codomainEventRank - bijector.domainEventRank;
  const eventRank = Math.max(bijector.codomainEventRank, baseEventRank + change);
  const cut = forward.length - eventRank;
  return {
    batchShape: forward.slice(0, cut),
    eventShape: forward.slice(cut),
    extraBatch: expanded.slice(0, extraRank),
  };
}

/**
 * The distribution of y = f(x) for x from `base` and a bijector f (torch's and TFP's
 * `TransformedDistribution`): log p(y) = log p_base(f^-1(y)) - log |det J_f(f^-1(y))|.
 * Shapes follow torch: base axes the bijector needs as event axes are reinterpreted (e.g. a
 * Normal of batch `[..., K - 1]` through `StickBreaking` has batch `[...]` and event `[K]`),
 * and elementwise log-dets are summed over the event axes. `sample`/`rsample` push base draws
 * through `forward` (`rsample` where the base has one) and leave the pair in the bijector's
 * cache, so `logProb` of a sample does not invert numerically. `cdf`/`icdf` exist for scalar
 * monotone bijectors (torch's); `mean`, `variance`, `entropy`, `mode` throw `UNSUPPORTED`.
 *
 * `base` and `bijector` are borrowed (never disposed); `dispose()` frees the tensors this
 * distribution created and the base draw held by the bijector's cache.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Normal, Sigmoid, TransformedDistribution } from '@vae/distributions';
 *
 * const logitNormal = new TransformedDistribution(new Normal({ loc: 0, scale: 1.5 }), new Sigmoid());
 * const y = logitNormal.rsample([1000], 3); // [1000] in (0, 1)
 * const logp = logitNormal.logProb(y); // [1000], from the cached base draw
 * console.log(y.shape, logp.shape); // -> [ 1000 ] [ 1000 ]
 * logitNormal.cdf([0.5]).print(); // -> [0.5]
 * logitNormal.dispose();
 * ```
 */
export class TransformedDistribution extends Distribution {
  /** The distribution of x, before the bijector. */
  readonly base: Distribution;
  /** The bijector f: draws are f(x) for x drawn from `base`. */
  readonly bijector: Bijector;
  /** Leading batch axes the bijector's parameters add to the base's. */
  private readonly extraBatch: number[];
  /** The base draw of the sample being made (kept out of tidy until the cache owns it). */
  private pendingDraw: tf.Tensor | undefined;

  /**
   * The distribution of `bijector.forward(x)` for `x` drawn from `base`.
   *
   * @param base - The distribution pushed through the bijector (borrowed: never disposed here).
   * @param bijector - The map applied to its draws (borrowed).
   * @param options - `validateArgs` (default: the base's), or, for a subclass, the `ParamScope`
   *   holding the tensors it created (its class name is used in messages).
   */
  constructor(
    base: Distribution,
    bijector: Bijector,
    options: DistributionOptions | ParamScope = {},
  ) {
    const scope =
      options instanceof ParamScope
        ? options
        : new ParamScope('TransformedDistribution', {
            validateArgs: options.validateArgs ?? base?.validateArgs ?? true,
          });
    if (!(base instanceof Distribution)) {
      scope.fail(`${scope.className}: \`base\` must be a Distribution, got ${String(base)}`);
    }
    if (!(bijector instanceof Bijector)) {
      scope.fail(`${scope.className}: \`bijector\` must be a Bijector, got ${String(bijector)}`);
    }
    const { extraBatch, ...shapes } = transformedShapes(base, bijector, scope);
    super(shapes, scope);
    this.base = base;
    this.bijector = bijector;
    this.extraBatch = extraBatch;
  }

  get support(): Constraint {
    return this.bijector.codomain;
  }

  override get hasRsample(): boolean {
    return this.base.hasRsample;
  }

  override sample(sampleShape: number[] = [], seed?: number): tf.Tensor {
    return this.remembered(() => super.sample(sampleShape, seed));
  }

  override rsample(sampleShape: number[] = [], seed?: number): tf.Tensor {
    return this.remembered(() => super.rsample(sampleShape, seed));
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const outer = [...sampleShape, ...this.extraBatch];
    const x = this.base.hasRsample ? this.base.rsample(outer, seed) : this.base.sample(outer, seed);
    const y = this.bijector.forward(x);
    this.pendingDraw = tf.keep(x);
    return y;
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const y = this.checkedValue(value);
      const b = this.bijector;
      const x = b.inverse(y);
      const rank = pulledBackEventRank(this);
      const logDet = sumRightmost(b.forwardLogDetJacobian(x), rank - b.domainEventRank);
      const logBase = sumRightmost(this.base.logProb(x), rank - this.base.eventShape.length);
      return tf.sub(logBase, logDet);
    });
  }

  /** base.cdf(f^-1(y)), reflected (1 - cdf) where f decreases; scalar monotone bijectors only. */
  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const sign = this.scalarSign('cdf');
      const y = this.checkedValue(value, 'cdf', real);
      return monotonize(this.base.cdf(this.bijector.inverse(y)), sign);
    });
  }

  /** f(base.icdf(p)), with p reflected where f decreases; scalar monotone bijectors only. */
  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const sign = this.scalarSign('icdf');
      const q = this.checkedValue(p, 'icdf', unitInterval);
      return this.bijector.forward(this.base.icdf(monotonize(q, sign)));
    });
  }

  /** Frees what this distribution created and the base draw the bijector's cache holds. */
  override dispose(): void {
    super.dispose();
    this.bijector.clearCache();
  }

  /** Runs a draw, then hands its base sample to the bijector's cache keyed by the result. */
  private remembered(run: () => tf.Tensor): tf.Tensor {
    this.pendingDraw = undefined;
    let y: tf.Tensor;
    try {
      y = run();
    } catch (error) {
      this.takePendingDraw()?.dispose();
      throw error;
    }
    const x = this.takePendingDraw();
    if (x !== undefined) rememberDraw(this.bijector, x, y);
    return y;
  }

  private takePendingDraw(): tf.Tensor | undefined {
    const x = this.pendingDraw;
    this.pendingDraw = undefined;
    return x;
  }

  private scalarSign(method: string): number | tf.Tensor {
    const b = this.bijector;
    if (b.domainEventRank !== 0 || b.codomainEventRank !== 0) {
      throw new VaeError(
        'UNSUPPORTED',
        `${this.className}.${method}: defined for scalar monotone bijectors only; ${b.name} has event ranks ${b.domainEventRank} -> ${b.codomainEventRank}`,
      );
    }
    try {
      return b.sign();
    } catch (error) {
      throw new VaeError('UNSUPPORTED', `${this.className}.${method}: ${(error as Error).message}`);
    }
  }
}

/** The event rank of `d`'s values pulled back to the base side (at least the base's own). */
function pulledBackEventRank(d: TransformedDistribution): number {
  return d.eventShape.length + d.bijector.domainEventRank - d.bijector.codomainEventRank;
}

/** p where the bijector increases, 1 - p where it decreases (torch's _monotonize_cdf). */
function monotonize(p: tf.Tensor, sign: number | tf.Tensor): tf.Tensor {
  if (sign === 1) return p;
  return tf.add(tf.mul(tf.sub(p, 0.5), sign), 0.5);
}

/**
 * KL between two transformed distributions that share the same bijector object: the KL of the
 * bases (a bijection does not change it), summed over reinterpreted axes.
 */
function klTransformedTransformed(
  p: TransformedDistribution,
  q: TransformedDistribution,
): tf.Tensor {
  if (p.bijector !== q.bijector || !shapesEqual(p.base.eventShape, q.base.eventShape)) {
    throw new VaeError(
      'KL_NOT_REGISTERED',
      `klDivergence: KL(${p.constructor.name} || ${q.constructor.name}) has a closed form only for the same bijector object and base event shapes; estimate it with klMonteCarlo from @vae/divergence`,
    );
  }
  const reinterpreted = pulledBackEventRank(p) - p.base.eventShape.length;
  const kl = sumRightmost(klDivergence(p.base, q.base), reinterpreted);
  return shapesEqual(kl.shape, p.batchShape) ? kl : tf.broadcastTo(kl, p.batchShape);
}

registerKL(TransformedDistribution, TransformedDistribution, klTransformedTransformed);
