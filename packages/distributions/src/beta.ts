import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from './distribution.js';
import { type Constraint, positive, unitInterval } from './internal/constraints.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { digamma, logBeta, xlogy } from './internal/special.js';
import { standardGamma, subSeed } from './internal/special-random.js';
import { registerKL } from './kl-registry.js';

/** Options of {@link Beta}: the two concentrations broadcast to the batch shape. */
export interface BetaOptions extends DistributionOptions {
  /** alpha, the exponent of x, positive. */
  concentration1: ParamLike;
  /** beta, the exponent of 1 - x, positive. */
  concentration0: ParamLike;
}

const TINY = 1.1754943508222875e-38;
const ONE_MINUS_EPS = 1 - 2 ** -24; // largest float32 below 1

/**
 * The Beta distribution on [0, 1] with density x^(a - 1) (1 - x)^(b - 1) / B(a, b), a =
 * `concentration1`, b = `concentration0`, batched over their broadcast shape (event shape `[]`).
 * Samples are X / (X + Y) for X ~ Gamma(a), Y ~ Gamma(b), clamped into (0, 1); there is no
 * `rsample` (`hasRsample` is false).
 *
 * `concentration1` and `concentration0` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * const beta = new Beta({ concentration1: [0.5, 2], concentration0: [0.5, 5] }); // batchShape [2]
 * const x = beta.sample([1000], 3); // [1000, 2], in (0, 1)
 * const logp = beta.logProb(x); // [1000, 2]
 * const h = beta.entropy(); // [2]
 * beta.dispose();
 * ```
 */
export class Beta extends Distribution {
  readonly concentration1: tf.Tensor;
  readonly concentration0: tf.Tensor;

  constructor(options: BetaOptions) {
    const scope = new ParamScope('Beta', options);
    const params = scope.broadcast({
      concentration1: scope.param('concentration1', options.concentration1, positive),
      concentration0: scope.param('concentration0', options.concentration0, positive),
    });
    super({ batchShape: params.concentration1.shape }, scope);
    this.concentration1 = params.concentration1;
    this.concentration0 = params.concentration0;
  }

  get support(): Constraint {
    return unitInterval;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const x = standardGamma(this.concentration1, sampleShape, subSeed(seed, 20));
    const y = standardGamma(this.concentration0, sampleShape, subSeed(seed, 21));
    return tf.clipByValue(tf.div(x, tf.add(x, y)), TINY, ONE_MINUS_EPS);
  }

  /** (a - 1) log x + (b - 1) log(1 - x) - log B(a, b), with 0 log 0 = 0 at the ends. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const a = this.concentration1;
      const b = this.concentration0;
      const body = tf.add(xlogy(tf.sub(a, 1), x), xlogy(tf.sub(b, 1), tf.sub(1, x)));
      return tf.sub(body, logBeta(a, b));
    });
  }

  /** log B(a, b) - (a - 1) psi(a) - (b - 1) psi(b) + (a + b - 2) psi(a + b). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const total = tf.add(a, b);
      const parts = tf.add(tf.mul(tf.sub(a, 1), digamma(a)), tf.mul(tf.sub(b, 1), digamma(b)));
      return tf.add(tf.sub(logBeta(a, b), parts), tf.mul(tf.sub(total, 2), digamma(total)));
    });
  }

  override get mean(): tf.Tensor {
    return tf.tidy(() =>
      tf.div(this.concentration1, tf.add(this.concentration1, this.concentration0)),
    );
  }

  override get variance(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const total = tf.add(a, b);
      return tf.div(tf.mul(a, b), tf.mul(tf.square(total), tf.add(total, 1)));
    });
  }

  /**
   * (a - 1) / (a + b - 2) where both exceed 1; as torch: with one concentration below 1 the
   * mode is the end it piles up at (0 or 1), and with both below 1 the end with the larger one.
   */
  override get mode(): tf.Tensor {
    return tf.tidy(() => {
      const a1 = tf.relu(tf.sub(this.concentration1, 1));
      const b1 = tf.relu(tf.sub(this.concentration0, 1));
      const interior = tf.div(a1, tf.add(a1, b1));
      const bothBelow = tf.logicalAnd(
        tf.less(this.concentration1, 1),
        tf.less(this.concentration0, 1),
      );
      const end = tf.cast(tf.greaterEqual(this.concentration1, this.concentration0), 'float32');
      return tf.where(bothBelow, end, interior);
    });
  }
}

/** KL(Beta(a1, b1) || Beta(a2, b2)) in closed form. */
export function klBetaBeta(p: Beta, q: Beta): tf.Tensor {
  const pSum = tf.add(p.concentration1, p.concentration0);
  const qSum = tf.add(q.concentration1, q.concentration0);
  const t1 = tf.sub(
    logBeta(q.concentration1, q.concentration0),
    logBeta(p.concentration1, p.concentration0),
  );
  const t3 = tf.mul(tf.sub(p.concentration1, q.concentration1), digamma(p.concentration1));
  const t4 = tf.mul(tf.sub(p.concentration0, q.concentration0), digamma(p.concentration0));
  const t5 = tf.mul(tf.sub(qSum, pSum), digamma(pSum));
  return tf.add(tf.add(t1, t3), tf.add(t4, t5));
}

registerKL(Beta, Beta, klBetaBeta);
