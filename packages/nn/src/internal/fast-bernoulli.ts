import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, type ParamLike } from '@vae/distributions';
import { customGradWithSaved } from './tape.js';

/**
 * log p(x | logits) = x * l - softplus(l) (equal to Bernoulli's two-softplus
 * form for every x) as one op with the gradient (x - sigmoid(l)) * dy written
 * by hand: about ten elementwise kernels fewer per training step, and wasm's
 * Softplus kernel is slow.
 */
function bernoulliLogLikelihood(logits: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return customGradWithSaved([logits], (keep) => {
    const l = keep(logits);
    const xs = keep(x);
    // softplus(l) = relu(l) + log1p(exp(-|l|)) = relu(l) - log(sigmoid(|l|)); sigmoid(|l|) is in
    // [0.5, 1], so the log never underflows, and wasm's sigmoid is far faster than exp + log1p.
    const softplus = tf.sub(tf.relu(logits), tf.log(tf.sigmoid(tf.abs(logits))));
    return {
      value: tf.sub(tf.mul(x, logits), softplus),
      gradFunc: (dy) => [tf.mul(dy, tf.sub(xs, tf.sigmoid(l)))],
    };
  });
}

/** A Bernoulli over logits whose `logProb` is the fused op above when shapes match. */
export class FastBernoulli extends Bernoulli {
  readonly #logits: tf.Tensor;

  constructor(logits: tf.Tensor) {
    super({ logits, validateArgs: false });
    this.#logits = logits;
  }

  override logProb(value: ParamLike): tf.Tensor {
    if (!(value instanceof tf.Tensor) || !tf.util.arraysEqual(value.shape, this.#logits.shape)) {
      return super.logProb(value);
    }
    return tf.tidy(() => bernoulliLogLikelihood(this.#logits, tf.cast(value, 'float32')));
  }
}
