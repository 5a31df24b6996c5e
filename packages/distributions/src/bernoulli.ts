import * as tf from '@tensorflow/tfjs-core';
import { type BatchMapper, Distribution } from './distribution.js';
import { boolean, type Constraint, unitInterval } from './internal/constraints.js';
import { probsToLogits, softplus, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { type ProbsOrLogits, parseProbsOrLogits, sameForm } from './internal/probs-or-logits.js';
import { registerKL } from './kl-registry.js';

/**
 * Options of {@link Bernoulli}: exactly one of `probs` (in [0, 1]) and `logits` (real).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Bernoulli, type BernoulliOptions } from '@vae/distributions';
 *
 * const decoderOutput = tf.tensor2d([[-2, 0, 3]]); // logits [batch, pixels]
 * const options: BernoulliOptions = { logits: decoderOutput }; // or { probs: [0.2, 0.9] }
 * const pixels = new Bernoulli(options);
 * pixels.mean().print(); // -> [[0.1192, 0.5, 0.9526]]
 * ```
 */
export type BernoulliOptions = DistributionOptions & ProbsOrLogits;

/**
 * Bernoulli over {0, 1} with P(1) = `probs` = sigmoid(`logits`), batched over the parameter's
 * shape (event shape `[]`). `logProb` works in logits space with softplus forms, so logits of
 * ±1e4 stay finite; given `probs` are clamped to [eps, 1 - eps] for logits, as in torch.
 * No `rsample` (use `RelaxedBernoulli` for a reparameterized relaxation).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Bernoulli } from '@vae/distributions';
 *
 * const logits = tf.tensor2d([[-2, 0, 3], [1, 1, 1]]); // [batch, pixels]
 * const pixels = tf.tensor2d([[0, 1, 1], [1, 0, 1]]);
 * const decoder = new Bernoulli({ logits, validateArgs: false });
 * const logLikelihood = tf.sum(decoder.logProb(pixels), -1); // [batch]
 * logLikelihood.print(); // -> [-0.8687, -1.9398]
 * ```
 */
export class Bernoulli extends Distribution {
  private readonly param: tf.Tensor;
  /** True when built from `logits`: finite logits never give an outcome probability exactly 0. */
  readonly isLogits: boolean;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `probs` or `logits`, exactly one (see {@link BernoulliOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: BernoulliOptions) {
    const scope = new ParamScope('Bernoulli', options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: unitInterval,
      eventRank: 0,
    });
    super({ batchShape: parsed.param.shape }, scope);
    this.param = parsed.param;
    this.isLogits = parsed.isLogits;
  }

  /** P(x = 1) `[...batch]`: a new tensor; the caller owns (disposes) it. */
  probs(): tf.Tensor {
    return this.isLogits ? tf.sigmoid(this.param) : this.param.clone();
  }

  /** log-odds `[...batch]`: a new tensor; the caller owns (disposes) it. */
  logits(): tf.Tensor {
    return this.isLogits ? this.param.clone() : tf.tidy(() => probsToLogits(this.param));
  }

  get support(): Constraint {
    return boolean;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const shape = this.extendedShape(sampleShape);
    const u = tf.randomUniform(shape, 0, 1, 'float32', seed);
    return tf.cast(
      untaped(() => tf.less(u, this.probs())),
      'float32',
    );
  }

  /** log p(x) = -x softplus(-l) - (1 - x) softplus(l); also defined for x in (0, 1). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const l = this.logits();
      return tf.neg(tf.add(tf.mul(x, softplus(tf.neg(l))), tf.mul(tf.sub(1, x), softplus(l))));
    });
  }

  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.probs();
      const l = this.logits();
      return tf.add(tf.mul(p, softplus(tf.neg(l))), tf.mul(tf.sub(1, p), softplus(l)));
    });
  }

  override mean(): tf.Tensor {
    return this.probs();
  }

  /**
   * 1 where probs > 1/2, 0 where below, NaN at exactly 1/2 (as torch). A new tensor; the caller
   * owns (disposes) it.
   */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.probs();
      const mode = tf.cast(
        untaped(() => tf.greaterEqual(p, 0.5)),
        'float32',
      );
      return tf.where(
        untaped(() => tf.equal(p, 0.5)),
        tf.fill(p.shape, Number.NaN),
        mode,
      );
    });
  }

  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const p = this.probs();
      return tf.mul(p, tf.sub(1, p));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Bernoulli {
    return new Bernoulli({
      ...sameForm(this.isLogits, map.param(this.param)),
      validateArgs: this.validateArgs,
    });
  }
}

/**
 * KL(Bern(p) || Bern(q)) from the logits (logits of 30 give 33.65, not the +Infinity of a
 * float32 sigmoid rounded to 1); +Infinity only where q was built from `probs` of exactly 0 or 1
 * and p gives that outcome mass.
 */
function klBernoulliBernoulli(p: Bernoulli, q: Bernoulli): tf.Tensor {
  const pp = p.probs();
  const pl = p.logits();
  const ql = q.logits();
  const shape = tf.broadcast_util.assertAndGetBroadcastShape(pp.shape, ql.shape);
  const inf = tf.fill(shape, Number.POSITIVE_INFINITY);
  const zero = tf.zeros(shape);
  const never = tf.zeros(shape, 'bool');
  const qp = q.isLogits ? undefined : q.probs();
  const qIs = (value: number) => (qp === undefined ? never : untaped(() => tf.equal(qp, value)));
  let t1 = tf.mul(pp, tf.sub(softplus(tf.neg(ql)), softplus(tf.neg(pl))));
  t1 = tf.where(
    untaped(() => tf.equal(pp, 0)),
    zero,
    tf.where(qIs(0), inf, t1),
  );
  let t2 = tf.mul(tf.sub(1, pp), tf.sub(softplus(ql), softplus(pl)));
  t2 = tf.where(
    untaped(() => tf.equal(pp, 1)),
    zero,
    tf.where(qIs(1), inf, t2),
  );
  return tf.add(t1, t2);
}

registerKL(Bernoulli, Bernoulli, klBernoulliBernoulli);
