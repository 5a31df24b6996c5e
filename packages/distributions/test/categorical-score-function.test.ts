// Score-function (REINFORCE) gradients: sample inside tf.grad, then differentiate logProb of the
// draws. The draws must not put an op without a gradient (Multinomial) between logits and loss.
import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Categorical, OneHotCategorical } from '../src/index.js';

describe('score-function gradients of discrete families', () => {
  it('d/dlogits E[f(k)] = E[f(k) d log p(k) / d logits] matches the exact gradient (Categorical, OneHot)', async () => {
    await expectNoLeaks(() => {
      const logits = tf.tensor1d([0.3, -0.5, 1]);
      const reward = tf.tensor1d([1, 4, -2]);
      const n = 4000;
      const viaIndices = tf.grad((l: tf.Tensor) => {
        const d = new Categorical({ logits: l });
        const k = d.sample([n], 3);
        const f = tf.gather(reward, k);
        return tf.mean(tf.mul(f, d.logProb(k))) as tf.Scalar;
      })(logits);
      const viaOneHot = tf.grad((l: tf.Tensor) => {
        const d = new OneHotCategorical({ logits: l });
        const x = d.sample([n], 3);
        const f = tf.sum(tf.mul(x, reward), -1);
        return tf.mean(tf.mul(f, d.logProb(x))) as tf.Scalar;
      })(logits);
      // Exact: d/dl_j sum_k p_k r_k = p_j (r_j - E[r]).
      const exact = tf.tidy(() => {
        const p = tf.softmax(logits);
        return tf.mul(p, tf.sub(reward, tf.sum(tf.mul(p, reward))));
      });
      // Per-entry standard error of the estimator, from the exact law of f(k) (delta_jk - p_j).
      const p = tf.tidy(() => Array.from(tf.softmax(logits).dataSync()));
      const r = Array.from(reward.dataSync());
      const target = Array.from(exact.dataSync());
      const bounds = target.map((mean, j) => {
        const second = p.reduce(
          (sum, pk, k) => sum + pk * (r[k]! * ((k === j ? 1 : 0) - p[j]!)) ** 2,
          0,
        );
        return 5 * Math.sqrt((second - mean * mean) / n);
      });
      for (const estimate of [viaIndices, viaOneHot]) {
        Array.from(estimate.dataSync()).forEach((value, j) => {
          expect(Math.abs(value - target[j]!), `entry ${j}`).toBeLessThanOrEqual(bounds[j]!);
        });
      }
      return [logits, reward, viaIndices, viaOneHot, exact];
    });
  });
});
