import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { FastBernoulliEvent } from '../src/internal/fast-bernoulli.js';

/** Σ over the event of x·l − softplus(l), in float64 from the same float32 inputs. */
function closedForm(logits: number[], x: number[], event: number): number[] {
  const sums: number[] = [];
  for (let start = 0; start < logits.length; start += event) {
    let sum = 0;
    for (let i = start; i < start + event; i++) {
      const l = logits[i]!;
      const softplus = Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
      sum += x[i]! * l - softplus;
    }
    sums.push(sum);
  }
  return sums;
}

describe('FastBernoulliEvent', () => {
  // 784 takes groups of 16 in the product of sigmoids, 6 groups of 2, 7 no grouping.
  for (const event of [784, 6, 7]) {
    it(`sums log p(x | logits) over an event of ${event}, extreme logits included`, () => {
      const shape = [3, event];
      const logits = tf.tidy(() => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', event), 8));
      const extremes = tf.tidy(() =>
        tf.concat([
          tf.fill([1, event], 60),
          tf.fill([1, event], -60),
          tf.slice(logits, [2, 0], [1, event]),
        ]),
      );
      const x = tf.tidy(() =>
        tf.cast(tf.less(tf.randomUniform(shape, 0, 1, 'float32', 9), 0.4), 'float32'),
      );
      for (const l of [logits, extremes]) {
        const p = new FastBernoulliEvent(l, 1);
        const value = p.logProb(x);
        expect(value.shape).toEqual([3]);
        const expected = closedForm(Array.from(l.dataSync()), Array.from(x.dataSync()), event);
        expectClose(value, expected, { rtol: 1e-5, atol: 1e-3 });
        value.dispose();
      }
      tf.dispose([logits, extremes, x]);
    });
  }

  it('has the gradient (x - sigmoid(l)) * dy, checked by finite differences', () => {
    const logits = tf.tensor2d([[-2, 0.5, 3, -0.1, 1.5, -4]]);
    const x = tf.tensor2d([[0, 1, 1, 0, 1, 0]]);
    const weight = tf.tensor1d([1.7]);
    const f = (l: tf.Tensor) =>
      tf.sum(tf.mul(new FastBernoulliEvent(l, 1).logProb(x), weight)) as tf.Scalar;
    const gradient = tf.grad(f)(logits);
    expectClose(gradient, numericGradient(f, logits), { rtol: 2e-2, atol: 2e-3 });
    tf.dispose([logits, x, weight, gradient]);
  });

  it('frees what it makes, in the forward and the backward pass', async () => {
    const logits = tf.randomNormal([4, 16]);
    const x = tf.onesLike(logits);
    await expectNoLeaks(() => {
      const f = (l: tf.Tensor) => tf.sum(new FastBernoulliEvent(l, 1).logProb(x)) as tf.Scalar;
      return tf.grad(f)(logits);
    });
    tf.dispose([logits, x]);
  });
});
