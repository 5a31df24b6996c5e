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
 * const logits = tf.randomNormal([8, 10]);
 * const costs = tf.randomUniform([8, 10]);
 * const q = new OneHotCategoricalStraightThrough({ logits }); // batch [8], event [10]
 * const y = q.rsample([], 1); // [8, 10] one-hot rows; gradients flow to logits
 * const loss = tf.sum(tf.mul(y, costs));
 * ```
 */
export class OneHotCategoricalStraightThrough extends OneHotCategorical {
  protected static override readonly familyName: string = 'OneHotCategoricalStraightThrough';

  constructor(options: OneHotCategoricalOptions) {
    super(options);
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected override draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const draws = super.draw(sampleShape, seed);
    const probs = this.probs;
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
