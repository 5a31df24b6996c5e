import * as tf from '@tensorflow/tfjs-core';
import { log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, positive, unitInterval } from './internal/constraints.js';
import { clampProbs, openUniform, probsToLogits, softplus } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { type ProbsOrLogits, parseProbsOrLogits, sameForm } from './internal/probs-or-logits.js';

/** Options of {@link RelaxedBernoulli}: `temperature` and one of `probs` / `logits`, broadcast. */
export type RelaxedBernoulliOptions = DistributionOptions &
  ProbsOrLogits & {
    /** Relaxation temperature, positive: small values give nearly binary samples. */
    temperature: ParamLike;
  };

const TINY = 1.1754943508222875e-38;
const ONE_MINUS_EPS = 1 - 1.1920928955078125e-7;

/**
 * The relaxed Bernoulli (binary Concrete, Maddison et al. 2017; Jang et al. 2017) on (0, 1):
 * x = sigmoid((logits + L) / temperature) with logistic noise L = log u - log(1 - u). It is
 * reparameterized (`rsample`), and as temperature -> 0 samples approach Bernoulli(probs) draws
 * in {0, 1}. `logProb` is the Concrete density; there is no closed-form mean, variance or entropy.
 * Batch shape: the broadcast of `temperature` and `probs`/`logits`; event shape `[]`.
 *
 * Parameters are borrowed: do not dispose them while the distribution is in use.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { RelaxedBernoulli } from '@vae/distributions';
 *
 * const logits = tf.zeros([4, 3]); // [batch, latentDim]
 * const gate = new RelaxedBernoulli({ temperature: 0.5, logits });
 * const z = gate.rsample([], 3); // [batch, latentDim] in (0, 1), gradients flow to logits
 * const logq = gate.logProb(z); // [batch, latentDim]
 * console.log(z.shape, logq.shape); // -> [ 4, 3 ] [ 4, 3 ]
 * gate.dispose();
 * ```
 */
export class RelaxedBernoulli extends Distribution {
  /** The relaxation temperature, positive (lower is closer to 0/1 draws). */
  readonly temperature: tf.Tensor;
  private readonly param: tf.Tensor;
  private readonly isLogits: boolean;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `temperature`, `probs` or `logits`, exactly one (see {@link RelaxedBernoulliOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: RelaxedBernoulliOptions) {
    const scope = new ParamScope('RelaxedBernoulli', options);
    const parsed = parseProbsOrLogits(scope, options, {
      probsConstraint: unitInterval,
      eventRank: 0,
    });
    const params = scope.broadcast({
      temperature: scope.param('temperature', options.temperature, positive),
      param: parsed.param,
    });
    super({ batchShape: params.param.shape }, scope);
    this.temperature = params.temperature;
    this.param = params.param;
    this.isLogits = parsed.isLogits;
  }

  /**
   * Probabilities `[...batch]` of the underlying Bernoulli: a new tensor; the caller owns
   * (disposes) it.
   */
  probs(): tf.Tensor {
    return this.isLogits ? tf.sigmoid(this.param) : this.param.clone();
  }

  /**
   * Logits `[...batch]` of the underlying Bernoulli (probs clamped first): a new tensor; the caller
   * owns (disposes) it.
   */
  logits(): tf.Tensor {
    return this.isLogits ? this.param.clone() : tf.tidy(() => probsToLogits(this.param));
  }

  get support(): Constraint {
    return unitInterval;
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const u = openUniform(this.extendedShape(sampleShape), seed);
    const noise = tf.sub(tf.log(u), log1p(tf.neg(u)));
    const y = tf.div(tf.add(this.logits(), noise), this.temperature);
    return clampProbs(tf.sigmoid(y));
  }

  /**
   * The Concrete density at x in (0, 1): with y = logit(x) and d = logits - temperature y,
   * log p(x) = log(temperature) + d - 2 softplus(d) - log(x (1 - x)). Values are clamped into
   * [tiny, 1 - eps] first, as torch does.
   */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.clipByValue(this.checkedValue(value), TINY, ONE_MINUS_EPS);
      const logX = tf.log(x);
      const log1mX = log1p(tf.neg(x));
      const diff = tf.sub(this.logits(), tf.mul(this.temperature, tf.sub(logX, log1mX)));
      const logistic = tf.sub(tf.add(tf.log(this.temperature), diff), tf.mul(softplus(diff), 2));
      return tf.sub(logistic, tf.add(logX, log1mX));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): RelaxedBernoulli {
    return new RelaxedBernoulli({
      temperature: map.param(this.temperature),
      ...sameForm(this.isLogits, map.param(this.param)),
      validateArgs: this.validateArgs,
    });
  }
}
