import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli } from './bernoulli.js';
import { type BatchMapper, Distribution } from './distribution.js';
import {
  type Constraint,
  finiteReal,
  nonNegative,
  nonNegativeInteger,
} from './internal/constraints.js';
import { infiniteKl } from './internal/infinite-kl.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { lgamma, xlogy } from './internal/special.js';
import { poissonVariates } from './internal/special-random.js';
import { registerKL } from './kl-registry.js';

/** Options of {@link Poisson}. */
export interface PoissonOptions extends DistributionOptions {
  /** Mean number of events, finite and >= 0 (rate 0 puts all mass on 0). */
  rate: ParamLike;
}

/**
 * The Poisson distribution over counts 0, 1, 2, ... with P(k) = rate^k e^(-rate) / k!, batched
 * over the shape of `rate` (event shape `[]`). Samples are float32 counts, drawn by inversion
 * for rates below 10 and by Hormann's PTRS rejection sampler above, on tensors. There is no
 * `rsample` and no closed-form `entropy` (as in torch.distributions).
 *
 * `rate` is borrowed: do not dispose it while the distribution is in use.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Poisson } from '@vae/distributions';
 *
 * const poisson = new Poisson({ rate: [0.5, 4, 250] }); // batchShape [3]
 * const counts = poisson.sample([10], 5); // [10, 3], float32 integers
 * const logp = poisson.logProb(counts); // [10, 3]
 * console.log(counts.dtype, counts.shape, logp.shape); // -> float32 [ 10, 3 ] [ 10, 3 ]
 * poisson.dispose();
 * ```
 */
export class Poisson extends Distribution {
  /** The `rate` parameter as a float32 tensor (the mean). */
  readonly rate: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `rate` (see {@link PoissonOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: PoissonOptions) {
    const scope = new ParamScope('Poisson', options);
    const rate = scope.param('rate', options.rate, nonNegative);
    if (scope.validate) scope.check('rate', rate, finiteReal);
    super({ batchShape: rate.shape }, scope);
    this.rate = rate;
  }

  get support(): Constraint {
    return nonNegativeInteger;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return poissonVariates(this.rate, sampleShape, seed);
  }

  /** k log(rate) - rate - lgamma(k + 1), with 0 log 0 = 0 (so rate 0 gives log P(0) = 0). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const k = this.checkedValue(value);
      return tf.sub(tf.sub(xlogy(k, this.rate), this.rate), lgamma(tf.add(k, 1)));
    });
  }

  override mean(): tf.Tensor {
    return this.rate.clone();
  }

  override variance(): tf.Tensor {
    return this.rate.clone();
  }

  /**
   * floor(rate) (for integer rates, rate - 1 is a mode too). A new tensor; the caller owns
   * (disposes) it.
   */
  override mode(): tf.Tensor {
    return tf.floor(this.rate);
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Poisson {
    return new Poisson({ rate: map.param(this.rate), validateArgs: this.validateArgs });
  }
}

/** KL(Poisson(a) || Poisson(b)) = a log(a / b) - (a - b); +Infinity where b = 0 < a. */
export function klPoissonPoisson(p: Poisson, q: Poisson): tf.Tensor {
  const logRatio = tf.sub(xlogy(p.rate, p.rate), xlogy(p.rate, q.rate));
  return tf.sub(logRatio, tf.sub(p.rate, q.rate));
}

registerKL(Poisson, Poisson, klPoissonPoisson);

/** KL(Bernoulli(p) || Poisson(r)) = -H(p) - (p log r - r) (torch's form), +Infinity where r = 0 < p. */
function klBernoulliPoisson(p: Bernoulli, q: Poisson): tf.Tensor {
  return tf.sub(tf.neg(p.entropy()), tf.sub(xlogy(p.probs(), q.rate), q.rate));
}

registerKL(Bernoulli, Poisson, klBernoulliPoisson);
// Support mismatch: a Poisson puts mass on 2, 3, ... where a Bernoulli has none.
registerKL(Poisson, Bernoulli, infiniteKl);
