import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '@vae/divergence';
import type { BatchMapper } from './distribution.js';
import { sameForm } from './internal/probs-or-logits.js';
import { OneHotCategorical, type OneHotCategoricalOptions } from './one-hot-categorical.js';

/**
 * A {@link OneHotCategorical} with the straight-through gradient estimator (Bengio et al.
 * 2013), as torch's `OneHotCategoricalStraightThrough`: `rsample` returns the exact one-hot
 * draw `[...sampleShape, ...batch, K]` of `sample`, but its gradient is that of `probs`
 * (x + probs - stopGradient(probs)), a biased but low-variance surrogate for discrete latents.
 * Everything else (logProb, entropy, moments, the KL registered for OneHotCategorical) is
 * inherited.
 *
 * `probs`/`logits` is borrowed: do not dispose it while the distribution is in use.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { OneHotCategoricalStraightThrough } from '@vae/distributions';
 * import { ensureGradients } from '@vae/trainer'; // gradients in plain Node
 *
 * await ensureGradients();
 * const logits = tf.randomNormal([8, 10], 0, 1, 'float32', 1);
 * const costs = tf.randomUniform([8, 10], 0, 1, 'float32', 2);
 * const grad = tf.grad((l: tf.Tensor) => {
 *   const q = new OneHotCategoricalStraightThrough({ logits: l }); // batch [8], event [10]
 *   const y = q.rsample([], 1); // [8, 10] one-hot rows; gradients flow to logits
 *   return tf.sum(tf.mul(y, costs));
 * })(logits);
 * // A gradient through the one-hot draw:
 * console.log(grad.shape); // -> [ 8, 10 ]
 * ```
 */
export class OneHotCategoricalStraightThrough extends OneHotCategorical {
  protected static override readonly familyName: string = 'OneHotCategoricalStraightThrough';

  /**
   * Builds the distribution from its parameters (numbers, nested arrays or tensors,
   * borrowed; numbers and arrays become float32 tensors it owns).
   *
   * @param options - `probs` or `logits`, exactly one (see {@link OneHotCategoricalOptions}), and `validateArgs` (default true:
   *   check the parameters, reading them back from the device).
   */
  constructor(options: OneHotCategoricalOptions) {
    super(options);
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected override draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const draws = super.draw(sampleShape, seed);
    const probs = this.probs();
    return tf.add(draws, tf.sub(probs, stopGradient(probs)));
  }

  /** Rebuilds this family for `expand`, `slice` and `index` (see {@link Distribution.expand}). */
  protected override mapBatch(map: BatchMapper): OneHotCategoricalStraightThrough {
    return new OneHotCategoricalStraightThrough({
      ...sameForm(this.parsed.isLogits, map.param(this.parsed.param, 1)),
      validateArgs: this.validateArgs,
    });
  }
}
