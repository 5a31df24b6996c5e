import * as tf from '@tensorflow/tfjs-core';
import {
  type Constraint,
  constraints,
  Distribution,
  type ParamLike,
  ParamScope,
} from '@vae/distributions';
import { ensureArgument, formatShape, tfSeed } from '@vae/divergence';

/**
 * Options of {@link HierarchicalDistribution}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DiagonalNormal, type HierarchicalDistributionOptions } from '@vae/nn';
 * const options: HierarchicalDistributionOptions = {
 *   root: new DiagonalNormal(tf.zeros([3, 2]), tf.zeros([3, 2])),
 *   conditional: (root) => new DiagonalNormal(tf.mul(root, 2), tf.zeros(root.shape)),
 *   conditionalDim: 2,
 *   rootPosition: 'first',
 * };
 * options.root.dispose();
 * ```
 */
export interface HierarchicalDistributionOptions {
  /**
   * The distribution of the root level, batch `[...batch]`, event `[rootDim]`.
   * The hierarchical distribution takes ownership of it (frees it in `dispose()`).
   */
  root: Distribution;
  /**
   * Builds the distribution of the other level given root values
   * `[n, rootDim]`: batch `[n]`, event `[conditionalDim]`. Called inside
   * `tf.tidy`; the result is disposed after use.
   */
  conditional: (rootValue: tf.Tensor) => Distribution;
  /** Size of the conditional level. */
  conditionalDim: number;
  /**
   * Where the root's coordinates sit in a value z: `'first'`
   * (`z = [root, conditional]`: a posterior q(z1 | x) q(z2 | z1)) or `'last'`
   * (`z = [conditional, root]`: a prior p(z2) p(z1 | z2)).
   */
  rootPosition: 'first' | 'last';
}

/** The conditional log-density of the last reparameterized draw, keyed by the draw's data. */
interface CachedDraw {
  dataId: object;
  size: number;
  conditionalLogProb: tf.Tensor;
}

/**
 * A two-level distribution over z = [z1, z2] (a vector of rootDim +
 * conditionalDim) that factorizes as root(a) * conditional(b | a): the
 * posterior q(z | x) = q(z1 | x) q(z2 | z1) and the prior p(z) = p(z2) p(z1 | z2)
 * of a two-stochastic-layer VAE (Burda et al. 2016) are both of this form.
 *
 * Sampling is ancestral: `a ~ root`, then `b ~ conditional(a)`; `rsample` is
 * reparameterized when both levels are (gradients flow through a into b).
 * `logProb(z)` is `root.logProb(a) + conditional(a).logProb(b)`:
 * `[...sample, ...batch, D]` -> `[...sample, ...batch]`. For the value `rsample`
 * just returned, the conditional term computed while drawing is reused.
 * `mean` is the plug-in mean [E a, E[b | a = E a]] (exact for the root level;
 * for the conditional level it is the mean at the root's mean, not E b).
 * The KL between two of them has no closed form: the ELBO estimates it by
 * Monte Carlo. Every method returns tensors the caller owns.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DiagonalNormal, HierarchicalDistribution } from '@vae/nn';
 * // a ~ N(0, 1), b | a ~ N(2 a, 1): batch [3], event [2] (z = [a, b])
 * const d = new HierarchicalDistribution({
 *   root: new DiagonalNormal(tf.zeros([3, 1]), tf.zeros([3, 1])),
 *   conditional: (a) => new DiagonalNormal(tf.mul(a, 2), tf.zeros(a.shape)),
 *   conditionalDim: 1,
 *   rootPosition: 'first',
 * });
 * const z = d.rsample([5], 0); // [5, 3, 2]
 * const logDensity = d.logProb(z); // [5, 3]
 * tf.dispose([z, logDensity]);
 * d.dispose();
 * ```
 */
export class HierarchicalDistribution extends Distribution {
  /** The distribution of the root level. */
  readonly root: Distribution;
  /** The size of the root level. */
  readonly rootDim: number;
  /** The size of the conditional level. */
  readonly conditionalDim: number;
  /** Where the root's coordinates sit in a value z. */
  readonly rootPosition: 'first' | 'last';
  readonly #conditional: (rootValue: tf.Tensor) => Distribution;
  #cache: CachedDraw | undefined;
  #reparameterizing = false;

  /**
   * The joint distribution of a root and a conditional level.
   *
   * @param options - The root, the conditional and its dimension; see {@link HierarchicalDistributionOptions}.
   */
  constructor(options: HierarchicalDistributionOptions) {
    const { root, conditionalDim, rootPosition } = options;
    ensureArgument(
      root instanceof Distribution && root.eventShape.length === 1,
      () =>
        `HierarchicalDistribution: \`root\` must be a Distribution with one event axis, got event shape ${formatShape(root?.eventShape ?? [])}`,
    );
    ensureArgument(
      Number.isInteger(conditionalDim) && conditionalDim > 0,
      () =>
        `HierarchicalDistribution: \`conditionalDim\` must be a positive integer, got ${conditionalDim}`,
    );
    ensureArgument(
      rootPosition === 'first' || rootPosition === 'last',
      () =>
        `HierarchicalDistribution: \`rootPosition\` must be 'first' or 'last', got ${JSON.stringify(rootPosition)}`,
    );
    const rootDim = root.eventShape[0]!;
    super(
      { batchShape: root.batchShape, eventShape: [rootDim + conditionalDim] },
      new ParamScope('HierarchicalDistribution', { validateArgs: false }),
    );
    this.root = root;
    this.rootDim = rootDim;
    this.conditionalDim = conditionalDim;
    this.rootPosition = rootPosition;
    this.#conditional = options.conditional;
  }

  get support(): Constraint {
    return constraints.realVector;
  }

  override get hasRsample(): boolean {
    return this.root.hasRsample;
  }

  override rsample(sampleShape: number[] = [], seed?: number): tf.Tensor {
    this.#reparameterizing = true;
    try {
      return super.rsample(sampleShape, seed);
    } finally {
      this.#reparameterizing = false;
    }
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const reparameterized = this.#reparameterizing;
    const draw = (d: Distribution, shape: number[], stream: number) =>
      reparameterized
        ? d.rsample(shape, tfSeed(seed, stream))
        : d.sample(shape, tfSeed(seed, stream));
    const a = draw(this.root, sampleShape, 0); // [...sample, ...batch, rootDim]
    const lead = a.shape.slice(0, -1);
    const conditional = this.#conditionalOf(a);
    try {
      const b = draw(conditional, [], 1); // [n, conditionalDim]
      const z = this.#join(a, tf.reshape(b, [...lead, this.conditionalDim]));
      if (reparameterized) this.#remember(z, conditional.logProb(b));
      return z;
    } finally {
      conditional.dispose();
    }
  }

  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const z = this.checkedValue(value);
      const size = this.rootDim + this.conditionalDim;
      ensureArgument(
        z.rank >= 1 && z.shape[z.rank - 1] === size,
        () =>
          `HierarchicalDistribution.logProb: \`value\` must be [..., ${size}], got a tensor of shape ${formatShape(z.shape)}`,
      );
      const [a, b] = this.#split(z);
      return tf.add(this.root.logProb(a), this.#conditionalLogProb(z, [a, b]));
    });
  }

  /**
   * [E a, E[b | a = E a]] `[...batch, D]`: the plug-in mean (see the class docs). A new tensor; the
   * caller owns (disposes) it.
   */
  override mean(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.root.mean(); // [...batch, rootDim]
      const conditional = this.#conditionalOf(a);
      try {
        const b = tf.reshape(conditional.mean(), [...a.shape.slice(0, -1), this.conditionalDim]);
        return this.#join(a, b);
      } finally {
        conditional.dispose();
      }
    });
  }

  override dispose(): void {
    super.dispose();
    this.#forget();
    this.root.dispose();
  }

  /** conditional(a) for root values a `[..., rootDim]`, batch `[n]` (n = size / rootDim). */
  #conditionalOf(a: tf.Tensor): Distribution {
    const flat = tf.reshape(a, [-1, this.rootDim]);
    const conditional = this.#conditional(flat);
    ensureArgument(
      conditional.eventShape.length === 1 && conditional.eventShape[0] === this.conditionalDim,
      () =>
        `HierarchicalDistribution: the conditional must have event shape [${this.conditionalDim}], got ${formatShape(conditional.eventShape)}`,
    );
    return conditional;
  }

  /** log conditional(b | a) `[...lead]`, from the last draw when z is that draw. */
  #conditionalLogProb(z: tf.Tensor, [a, b]: [tf.Tensor, tf.Tensor]): tf.Tensor {
    const lead = z.shape.slice(0, -1);
    const cache = this.#cache;
    if (cache !== undefined && cache.dataId === z.dataId && cache.size === z.size) {
      return tf.reshape(cache.conditionalLogProb, lead);
    }
    const conditional = this.#conditionalOf(a);
    try {
      return tf.reshape(conditional.logProb(tf.reshape(b, [-1, this.conditionalDim])), lead);
    } finally {
      conditional.dispose();
    }
  }

  #remember(z: tf.Tensor, conditionalLogProb: tf.Tensor): void {
    this.#forget();
    this.#cache = {
      dataId: z.dataId,
      size: z.size,
      conditionalLogProb: tf.keep(conditionalLogProb),
    };
  }

  #forget(): void {
    this.#cache?.conditionalLogProb.dispose();
    this.#cache = undefined;
  }

  /** z [..., D] -> [a, b] (root and conditional parts). */
  #split(z: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const first = this.rootPosition === 'first' ? this.rootDim : this.conditionalDim;
    const [head, tail] = tf.split(z, [first, z.shape[z.rank - 1]! - first], -1) as [
      tf.Tensor,
      tf.Tensor,
    ];
    return this.rootPosition === 'first' ? [head, tail] : [tail, head];
  }

  #join(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return this.rootPosition === 'first' ? tf.concat([a, b], -1) : tf.concat([b, a], -1);
  }
}
