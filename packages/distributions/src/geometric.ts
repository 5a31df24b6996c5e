import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, nonNegativeInteger } from './internal/constraints.js';
import { probsToLogits, softplus, TINY, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { type ProbsOrLogits, parseProbsOrLogits, sameForm } from './internal/probs-or-logits.js';
import { registerKL } from './kl-registry.js';

/**
 * Options of {@link Geometric}: exactly one of `probs` (in (0, 1]) and `logits` (real).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Geometric, type GeometricOptions } from '@vae/distributions';
 *
 * const options: GeometricOptions = { probs: [0.2, 0.9] };
 * // Failures before the first success:
 * new Geometric(options).mean().print(); // -> [4, 0.1111]
 * ```
 */
export type GeometricOptions = DistributionOptions & ProbsOrLogits;

/** In (0, 1]: a success must be possible. */
const successProbability: Constraint = {
  description: 'in (0, 1]',
  check: (x) => tf.logicalAnd(tf.greater(x, 0), tf.lessEqual(x, 1)),
};

/**
 * The geometric distribution: the number of failures k = 0, 1, 2, ... before the first
 * success in trials of probability `probs` = sigmoid(`logits`), P(k) = (1 - p)^k p; batched
 * over the parameter's shape (event shape `[]`). `sample` is floor(log u / log(1 - p)) on
 * tensors (seeded); mean (1 - p) / p, variance (1 - p) / p^2, mode 0, entropy
 * (softplus(l) - p l) / p. No `rsample` and no `cdf` (as torch).
 *
 * `probs`/`logits` is borrowed: do not dispose it while the distribution is in use.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Geometric } from '@vae/distributions';
 *
 * const geometric = new Geometric({ probs: [0.1, 0.5] }); // batchShape [2]
 * const k = geometric.sample([1000], 3); // [1000, 2], float32 counts
 * const logp = geometric.logProb(k); // [1000, 2]
 * // Near the means [9, 1]:
 * tf.mean(k, 0).print(); // -> [8.738, 1.015]
 * console.log(logp.shape); // -> [ 1000, 2 ]
 * geometric.dispose();
 * ```
 */
export class Geometric extends Distribution {
  private readonly param: tf.Tensor;
  private readonly isLogits: boolean;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `probs` or `logits`, exactly one (see {@link GeometricOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: GeometricOptions) {
    const scope = new ParamScope('Geometric', options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: successProbability,
      eventRank: 0,
    });
    super({ batchShape: parsed.param.shape }, scope);
    this.param = parsed.param;
    this.isLogits = parsed.isLogits;
  }

  /** Success probability `[...batch]`: a new tensor; the caller owns (disposes) it. */
  probs(): tf.Tensor {
    return this.isLogits ? tf.sigmoid(this.param) : this.param.clone();
  }

  /**
   * Log-odds `[...batch]` (given probs are clamped to [eps, 1 - eps]): a new tensor; the caller
   * owns (disposes) it.
   */
  logits(): tf.Tensor {
    return this.isLogits ? this.param.clone() : tf.tidy(() => probsToLogits(this.param));
  }

  get support(): Constraint {
    return nonNegativeInteger;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = tf.randomUniform(this.extendedShape(sampleShape), TINY, 1, 'float32', seed);
    // log(1 - p), as -softplus(l) when given logits (accurate for p near 1).
    const logFailure = this.isLogits ? tf.neg(softplus(this.param)) : tf.log1p(tf.neg(this.param));
    return tf.floor(tf.div(tf.log(u), logFailure));
  }

  /**
   * k log(1 - p) + log p `[...sample, ...batch]`; with `logits`, -k softplus(l) - softplus(-l).
   * At p = 1, P(0) = 1 (0 log 0 = 0).
   */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const k = this.checkedValue(value);
      if (this.isLogits) {
        return tf.neg(tf.add(tf.mul(k, softplus(this.param)), softplus(tf.neg(this.param))));
      }
      const p = this.param;
      const certainZero = untaped(() => tf.logicalAnd(tf.equal(p, 1), tf.equal(k, 0)));
      const failures = tf.mul(k, tf.log1p(tf.neg(p)));
      return tf.add(tf.where(certainZero, tf.zerosLike(failures), failures), tf.log(p));
    });
  }

  /** (softplus(l) - p l) / p, the binary cross-entropy of p with itself over p. */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const l = this.logits();
      const p = this.probs();
      return tf.div(tf.sub(softplus(l), tf.mul(p, l)), p);
    });
  }

  override mean(): tf.Tensor {
    return tf.tidy(() => tf.sub(tf.reciprocal(this.probs()), 1));
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.probs();
      return tf.div(tf.sub(tf.reciprocal(p), 1), p);
    });
  }

  /** 0: no failure is the most probable count. A new tensor; the caller owns (disposes) it. */
  override mode(): tf.Tensor {
    return tf.zeros(this.batchShape);
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Geometric {
    return new Geometric({
      ...sameForm(this.isLogits, map.param(this.param)),
      validateArgs: this.validateArgs,
    });
  }
}

/** KL(Geom(p) || Geom(q)) = -H(p) - log(1 - q) / p - logit(q), `[...batch]`. */
export function klGeometricGeometric(p: Geometric, q: Geometric): tf.Tensor {
  const ql = q.logits();
  // log(1 - q) = -softplus(logit q).
  return tf.sub(tf.add(tf.neg(p.entropy()), tf.div(softplus(ql), p.probs())), ql);
}

registerKL(Geometric, Geometric, klGeometricGeometric);
