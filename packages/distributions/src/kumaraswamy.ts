import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1p } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, positive, unitInterval } from './internal/constraints.js';
import { EULER_GAMMA, openUniform, untaped } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { digamma, lgamma } from './internal/special.js';

/**
 * Options of {@link Kumaraswamy}: the two concentrations, broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Kumaraswamy, type KumaraswamyOptions } from '@vae/distributions';
 *
 * const options: KumaraswamyOptions = { concentration1: 2, concentration0: [2, 5] };
 * // 1 - (1 - x^a)^b:
 * new Kumaraswamy(options).cdf(0.5).print(); // -> [0.4375, 0.7627]
 * ```
 */
export interface KumaraswamyOptions extends DistributionOptions {
  /** a, the exponent of x, positive. */
  concentration1: ParamLike;
  /** b, the exponent of 1 - x^a, positive. */
  concentration0: ParamLike;
}

/** The n-th moment b B(1 + n / a, b). */
function moment(a: tf.Tensor, b: tf.Tensor, n: number): tf.Tensor {
  const shifted = tf.add(tf.div(n, a), 1);
  const logBeta = tf.sub(tf.add(lgamma(shifted), lgamma(b)), lgamma(tf.add(shifted, b)));
  return tf.mul(b, tf.exp(logBeta));
}

/**
 * The Kumaraswamy distribution on [0, 1] with density a b x^(a - 1) (1 - x^a)^(b - 1), a =
 * `concentration1`, b = `concentration0`: Beta-like, with a closed-form cdf
 * 1 - (1 - x^a)^b, so `rsample` is the quantile of uniforms. Batched over the broadcast shape
 * of the concentrations (event shape `[]`). `mode` is ((a - 1) / (ab - 1))^(1 / a) for a, b >= 1
 * (not both 1) and NaN elsewhere (torch 1.13's formula is NaN for every b > 1).
 *
 * `concentration1` and `concentration0` are the (broadcast) parameters: borrowed.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Kumaraswamy } from '@vae/distributions';
 *
 * const k = new Kumaraswamy({ concentration1: 2, concentration0: [2, 5] }); // batchShape [2]
 * const x = k.rsample([1000], 11); // [1000, 2], in (0, 1)
 * const logp = k.logProb(x); // [1000, 2]
 * console.log(tf.max(x).dataSync()[0]! < 1); // -> true
 * console.log(logp.shape); // -> [ 1000, 2 ]
 * k.dispose();
 * ```
 */
export class Kumaraswamy extends Distribution {
  /** The `concentration1` parameter as a float32 tensor, broadcast with the others to the batch shape (a of 1 - (1 - x^a)^b). */
  readonly concentration1: tf.Tensor;
  /** The `concentration0` parameter as a float32 tensor, broadcast with the others to the batch shape (b of 1 - (1 - x^a)^b). */
  readonly concentration0: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `concentration1`, `concentration0` (see {@link KumaraswamyOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: KumaraswamyOptions) {
    const scope = new ParamScope('Kumaraswamy', options);
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

  override get hasRsample(): boolean {
    return true;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    return this.quantile(openUniform(this.extendedShape(sampleShape), seed));
  }

  /** (1 - (1 - p)^(1 / b))^(1 / a), as exp(log(-expm1(log1p(-p) / b)) / a). */
  private quantile(p: tf.Tensor): tf.Tensor {
    const inner = tf.neg(expm1(tf.div(log1p(tf.neg(p)), this.concentration0)));
    return tf.exp(tf.div(tf.log(inner), this.concentration1));
  }

  /** log a + log b + (a - 1) log x + (b - 1) log1p(-x^a). */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = this.checkedValue(value);
      const a = this.concentration1;
      const b = this.concentration0;
      const logX = tf.log(x);
      const head = tf.add(tf.log(tf.mul(a, b)), tf.mul(tf.sub(a, 1), logX));
      return tf.add(head, tf.mul(tf.sub(b, 1), log1p(tf.neg(tf.exp(tf.mul(a, logX))))));
    });
  }

  /** (1 - 1 / b) + (1 - 1 / a) (psi(b + 1) + gamma) - log(a b). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const t1 = tf.sub(1, tf.reciprocal(a));
      const t0 = tf.sub(1, tf.reciprocal(b));
      const harmonic = tf.add(digamma(tf.add(b, 1)), EULER_GAMMA);
      return tf.sub(tf.add(t0, tf.mul(t1, harmonic)), tf.log(tf.mul(a, b)));
    });
  }

  /** b B(1 + 1 / a, b). A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return tf.tidy(() => moment(this.concentration1, this.concentration0, 1));
  }

  /**
   * ((a - 1) / (a b - 1))^(1 / a) for a, b >= 1 (not both 1), NaN elsewhere. A new tensor; the
   * caller owns (disposes) it.
   */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const defined = untaped(() =>
        tf.logicalAnd(
          tf.logicalAnd(tf.greaterEqual(a, 1), tf.greaterEqual(b, 1)),
          tf.greater(tf.mul(a, b), 1),
        ),
      );
      const safeA = tf.where(defined, a, tf.fill(this.batchShape, 2));
      const safeB = tf.where(defined, b, tf.fill(this.batchShape, 2));
      const ratio = tf.div(tf.sub(safeA, 1), tf.sub(tf.mul(safeA, safeB), 1));
      const value = tf.pow(ratio, tf.reciprocal(safeA));
      return tf.where(defined, value, tf.fill(this.batchShape, Number.NaN));
    });
  }

  /** b B(1 + 2 / a, b) - mean^2. A new tensor; the caller owns (disposes) it. */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      return tf.sub(moment(a, b, 2), tf.square(moment(a, b, 1)));
    });
  }

  /** 1 - (1 - x^a)^b, as -expm1(b log1p(-x^a)). */
  override cdf(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.clipByValue(this.checkedValue(value, 'cdf'), 0, 1);
      const powered = tf.pow(x, this.concentration1);
      return tf.neg(expm1(tf.mul(this.concentration0, log1p(tf.neg(powered)))));
    });
  }

  override icdf(p: ParamLike): tf.Tensor {
    return tf.tidy(() => this.quantile(this.checkedValue(p, 'icdf', unitInterval)));
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Kumaraswamy {
    return new Kumaraswamy({
      concentration1: map.param(this.concentration1),
      concentration0: map.param(this.concentration0),
      validateArgs: this.validateArgs,
    });
  }
}
