import * as tf from '@tensorflow/tfjs-core';
import type { BatchMapper } from './distribution.js';
import { Gamma } from './gamma.js';
import { positive } from './internal/constraints.js';
import { type DistributionOptions, type ParamLike, ParamScope } from './internal/params.js';

/**
 * Options of {@link Chi2}: the degrees of freedom.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Chi2, type Chi2Options } from '@vae/distributions';
 *
 * const options: Chi2Options = { df: [1, 2, 10] };
 * new Chi2(options).mean().print(); // -> [1, 2, 10]
 * ```
 */
export interface Chi2Options extends DistributionOptions {
  /** Degrees of freedom, positive (not necessarily an integer). */
  df: ParamLike;
}

/** Validates `df` under the name Chi2 and derives the Gamma parameters (owned by the scope). */
function chi2Parameters(options: Chi2Options) {
  const scope = new ParamScope('Chi2', options);
  const df = scope.param('df', options.df, positive);
  const concentration = scope.own(tf.mul(df, 0.5));
  const rate = scope.own(tf.fill(df.shape, 0.5));
  return { scope, df, concentration, rate };
}

/**
 * The chi-squared distribution with `df` degrees of freedom: exactly Gamma(df / 2, rate 1/2),
 * and a subclass of {@link Gamma} as in torch.distributions, so it samples, reparameterizes
 * (gradients reach `df`), has `logProb`, `entropy`, moments and every KL registered for
 * Gamma (KL(Chi2 || Gamma), KL(Exponential || Chi2), ...). Batched over the shape of `df`.
 *
 * `df` is borrowed; `concentration` and `rate` are owned by the distribution.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Chi2, Gamma, klDivergence } from '@vae/distributions';
 *
 * const chi2 = new Chi2({ df: [1, 4] }); // batchShape [2]
 * const x = chi2.sample([500], 2); // [500, 2]
 * // Near the means [1, 4]:
 * tf.mean(x, 0).print(); // -> [0.9716, 3.9391]
 * const kl = klDivergence(chi2, new Gamma({ concentration: 2, rate: 0.5 })); // [2]
 * // Chi2(4) is Gamma(2, 1/2):
 * kl.print(); // -> [2.3729, 0]
 * chi2.dispose();
 * ```
 */
export class Chi2 extends Gamma {
  /** The degrees of freedom `[...batch]` (2 * concentration). */
  readonly df: tf.Tensor;
  protected override readonly className: string = 'Chi2';

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `df` (see {@link Chi2Options}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: Chi2Options) {
    const parsed = chi2Parameters(options);
    super({
      concentration: parsed.concentration,
      rate: parsed.rate,
      validateArgs: parsed.scope.validate,
    });
    this.owned.push(...parsed.scope.owned);
    this.df = parsed.df;
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): Chi2 {
    return new Chi2({
      df: map.param(this.df),
      validateArgs: this.validateArgs,
    });
  }
}
