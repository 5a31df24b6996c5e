import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from './distribution.js';
import { type Constraint, nonNegative, positive } from './internal/constraints.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { digamma, lgamma, xlogy } from './internal/special.js';
import { standardGamma } from './internal/special-random.js';
import { registerKL } from './kl-registry.js';

/** Options of {@link Gamma}: `concentration` and `rate` broadcast to the batch shape. */
export interface GammaOptions extends DistributionOptions {
  /** Shape parameter alpha, positive. */
  concentration: ParamLike;
  /** Inverse scale beta, positive (the mean is concentration / rate). */
  rate: ParamLike;
}

/**
 * The Gamma distribution with density rate^alpha x^(alpha - 1) e^(-rate x) / Gamma(alpha) on
 * x >= 0, batched over the broadcast shape of `concentration` (alpha) and `rate` (event shape
 * `[]`). Sampling uses Marsaglia-Tsang on tensors (no data read back); there is no `rsample`
 * (`hasRsample` is false). `cdf` is not implemented.
 *
 * `concentration` and `rate` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * const gamma = new Gamma({ concentration: [0.5, 2, 9], rate: 2 }); // batchShape [3]
 * const x = gamma.sample([100], 7); // [100, 3]
 * const logp = gamma.logProb(x); // [100, 3]
 * const kl = klDivergence(gamma, new Gamma({ concentration: 1, rate: 1 })); // [3]
 * gamma.dispose();
 * ```
 */
export class Gamma extends Distribution {
  readonly concentration: tf.Tensor;
  readonly rate: tf.Tensor;

  constructor(options: GammaOptions) {
    const scope = new ParamScope('Gamma', options);
    const params = scope.broadcast({
      concentration: scope.param('concentration', options.concentration, positive),
      rate: scope.param('rate', options.rate, positive),
    });
    super({ batchShape: params.concentration.shape }, scope);
    this.concentration = params.concentration;
    this.rate = params.rate;
  }

  get support(): Constraint {
    return nonNegative;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return tf.div(standardGamma(this.concentration, sampleShape, seed), this.rate);
  }

  /** alpha log(rate) + (alpha - 1) log(x) - rate x - lgamma(alpha), with 0 log 0 = 0 at x = 0. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const c = this.concentration;
      const normalizer = tf.sub(xlogy(c, this.rate), lgamma(c));
      return tf.add(normalizer, tf.sub(xlogy(tf.sub(c, 1), x), tf.mul(this.rate, x)));
    });
  }

  /** alpha - log(rate) + lgamma(alpha) + (1 - alpha) digamma(alpha). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const c = this.concentration;
      const head = tf.add(tf.sub(c, tf.log(this.rate)), lgamma(c));
      return tf.add(head, tf.mul(tf.sub(1, c), digamma(c)));
    });
  }

  override get mean(): tf.Tensor {
    return tf.div(this.concentration, this.rate);
  }

  override get variance(): tf.Tensor {
    return tf.tidy(() => tf.div(this.concentration, tf.square(this.rate)));
  }

  /** (alpha - 1) / rate where alpha >= 1, else 0. */
  override get mode(): tf.Tensor {
    return tf.tidy(() => tf.div(tf.relu(tf.sub(this.concentration, 1)), this.rate));
  }
}

/** KL(Gamma(a1, b1) || Gamma(a2, b2)) in closed form (as torch.distributions has it). */
export function klGammaGamma(p: Gamma, q: Gamma): tf.Tensor {
  const t1 = tf.mul(q.concentration, tf.log(tf.div(p.rate, q.rate)));
  const t2 = tf.sub(lgamma(q.concentration), lgamma(p.concentration));
  const t3 = tf.mul(tf.sub(p.concentration, q.concentration), digamma(p.concentration));
  const t4 = tf.mul(tf.sub(q.rate, p.rate), tf.div(p.concentration, p.rate));
  return tf.add(tf.add(t1, t2), tf.add(t3, t4));
}

registerKL(Gamma, Gamma, klGammaGamma);
