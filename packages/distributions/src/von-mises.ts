import * as tf from '@tensorflow/tfjs-core';
import { expm1 } from '@vae/divergence';
import { type BatchMapper, Distribution } from './distribution.js';
import { type Constraint, finiteReal, positive, real } from './internal/constraints.js';
import { LOG_2PI } from './internal/math.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';
import { hostUniform } from './internal/special-random.js';
import { logBesselIScaled, vonMisesAngle, wrapAngle } from './internal/von-mises-math.js';

/**
 * Options of {@link VonMises}: the mean direction `loc` (radians) and `concentration`,
 * broadcast to the batch shape.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { VonMises, type VonMisesOptions } from '@vae/distributions';
 *
 * const options: VonMisesOptions = { loc: [0, Math.PI / 2], concentration: 4 };
 * new VonMises(options).mean().print(); // -> [0, 1.5708]
 * ```
 */
export interface VonMisesOptions extends DistributionOptions {
  /** Mean direction in radians, finite (any real, read modulo 2 pi). */
  loc: ParamLike;
  /** Concentration kappa, positive (large kappa: nearly N(loc, 1 / kappa)). */
  concentration: ParamLike;
}

/**
 * The von Mises distribution on the circle with density exp(kappa cos(x - loc)) / (2 pi I0(kappa)),
 * batched over the broadcast shape of `loc` and `concentration` (event shape `[]`). Values are
 * angles in radians, any real, read modulo 2 pi. `sample` uses Best and Fisher's rejection
 * sampler on the host (seeded, float64) and returns angles in [-pi, pi); there is no `rsample`
 * (as torch). `mean` and `mode` are `loc`, `variance` is the circular variance
 * 1 - I1(kappa) / I0(kappa), and `entropy` is the closed form
 * log(2 pi I0(kappa)) - kappa I1(kappa) / I0(kappa) (torch has none).
 *
 * `loc` and `concentration` are the (broadcast) parameters: borrowed, do not dispose them.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { VonMises } from '@vae/distributions';
 *
 * const heading = new VonMises({ loc: 0, concentration: [0.5, 8] }); // batchShape [2]
 * const angles = heading.sample([1000], 12); // [1000, 2], in [-pi, pi)
 * const logp = heading.logProb(angles); // [1000, 2]
 * console.log(angles.shape, logp.shape); // -> [ 1000, 2 ] [ 1000, 2 ]
 * heading.dispose();
 * ```
 */
export class VonMises extends Distribution {
  /** The `loc` parameter as a float32 tensor, broadcast with the others to the batch shape (the mean angle). */
  readonly loc: tf.Tensor;
  /** The `concentration` parameter as a float32 tensor, broadcast with the others to the batch shape (kappa; 0 is uniform on the circle). */
  readonly concentration: tf.Tensor;

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `loc`, `concentration` (see {@link VonMisesOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: VonMisesOptions) {
    const scope = new ParamScope('VonMises', options);
    const params = scope.broadcast({
      loc: scope.param('loc', options.loc, finiteReal),
      concentration: scope.param('concentration', options.concentration, positive),
    });
    super({ batchShape: params.loc.shape }, scope);
    this.loc = params.loc;
    this.concentration = params.concentration;
  }

  get support(): Constraint {
    return real;
  }

  /** Best-Fisher rejection sampling on the host in float64 (reads the parameters back). */
  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const locs = this.loc.dataSync();
    const concentrations = this.concentration.dataSync();
    const uniform = hostUniform(seed);
    const replicas = sampleShape.reduce((product, size) => product * size, 1);
    const out = new Float32Array(replicas * locs.length);
    for (let i = 0; i < out.length; i++) {
      const j = i % locs.length;
      out[i] = wrapAngle(vonMisesAngle(concentrations[j]!, uniform) + locs[j]!);
    }
    return tf.tensor(out, this.extendedShape(sampleShape), 'float32');
  }

  /**
   * kappa cos(x - loc) - log(2 pi) - log I0(kappa), computed as
   * -2 kappa sin^2((x - loc) / 2) - log(2 pi) - log(I0(kappa) e^-kappa) (no cancellation of the
   * two terms of size kappa).
   */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const halfAngle = tf.mul(tf.sub(this.checkedValue(value), this.loc), 0.5);
      const kernel = tf.mul(tf.mul(this.concentration, tf.square(tf.sin(halfAngle))), -2);
      const normalizer = tf.add(logBesselIScaled(this.concentration, 0), LOG_2PI);
      return tf.sub(kernel, normalizer);
    });
  }

  /** log(2 pi I0(kappa)) - kappa I1(kappa) / I0(kappa) = log(2 pi I0 e^-kappa) + kappa (1 - I1 / I0). */
  override entropy(): tf.Tensor {
    return tf.tidy(() => {
      const logI0 = logBesselIScaled(this.concentration, 0);
      const oneMinusRatio = tf.neg(expm1(tf.sub(logBesselIScaled(this.concentration, 1), logI0)));
      return tf.add(tf.add(logI0, LOG_2PI), tf.mul(this.concentration, oneMinusRatio));
    });
  }

  /** The circular mean, `loc`. A new tensor; the caller owns (disposes) it. */
  override mean(): tf.Tensor {
    return this.loc.clone();
  }

  override mode(): tf.Tensor {
    return this.loc.clone();
  }

  /**
   * The circular variance 1 - I1(kappa) / I0(kappa), as -expm1(log I1 - log I0). A new tensor; the
   * caller owns (disposes) it.
   */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const scaled = (order: 0 | 1) => logBesselIScaled(this.concentration, order);
      const logRatio = tf.sub(scaled(1), scaled(0));
      return tf.neg(expm1(logRatio));
    });
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): VonMises {
    return new VonMises({
      loc: map.param(this.loc),
      concentration: map.param(this.concentration),
      validateArgs: this.validateArgs,
    });
  }
}
