import * as tf from '@tensorflow/tfjs-core';
import { repeatRows } from '@vae/divergence';
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

describe('FastBernoulliEvent.logProbRepeated', () => {
  // 3 copies of 2 rows: logits row r goes with row r mod 2 of x, as repeatRows lays them out.
  for (const eventShape of [[784], [7], [2, 3]]) {
    it(`equals logProb of the repeated x, value and gradient, for an event of [${eventShape}]`, () => {
      const copies = 3;
      const logits = tf.tidy(() =>
        tf.mul(tf.randomNormal([copies * 2, ...eventShape], 0, 1, 'float32', 5), 6),
      );
      const x = tf.tidy(() =>
        tf.cast(tf.less(tf.randomUniform([2, ...eventShape], 0, 1, 'float32', 6), 0.4), 'float32'),
      );
      const weight = tf.tensor1d([0.5, -1, 2, 1.5, 0.25, -0.75]);
      const rank = eventShape.length;
      const repeated = (l: tf.Tensor) =>
        tf.sum(tf.mul(new FastBernoulliEvent(l, rank).logProb(repeatRows(x, copies)), weight));
      const inPlace = (l: tf.Tensor) =>
        tf.sum(tf.mul(new FastBernoulliEvent(l, rank).logProbRepeated(x, copies), weight));
      const value = new FastBernoulliEvent(logits, rank).logProbRepeated(x, copies);
      expect(value.shape).toEqual([copies * 2]);
      const expected = closedForm(
        Array.from(logits.dataSync()),
        Array.from(repeatRows(x, copies).dataSync()),
        logits.size / (copies * 2),
      );
      expectClose(value, expected, { rtol: 1e-5, atol: 1e-3 });
      expectClose(
        tf.grad(inPlace as (l: tf.Tensor) => tf.Scalar)(logits),
        tf.grad(repeated as (l: tf.Tensor) => tf.Scalar)(logits),
        { rtol: 1e-6, atol: 1e-6 },
      );
      tf.dispose([logits, x, weight, value]);
    });
  }

  it('refuses an x that is not [batch / copies, ...event], naming the shapes', () => {
    const p = new FastBernoulliEvent(tf.zeros([6, 4]), 1);
    expect(() => p.logProbRepeated(tf.zeros([3, 4]), 3)).toThrow(
      'Bernoulli.logProbRepeated: x must be [2, 4] for 3 copies of a batch of 6, got [3, 4]',
    );
    expect(() => p.logProbRepeated(tf.zeros([2, 5]), 3)).toThrow(/got \[2, 5\]/);
    expect(() => p.logProbRepeated(tf.zeros([2, 4]), 4)).toThrow(/for 4 copies/);
  });

  it('frees what it makes, in the forward and the backward pass', async () => {
    const logits = tf.randomNormal([8, 16]);
    const x = tf.onesLike(tf.zeros([2, 16]));
    await expectNoLeaks(() => {
      const f = (l: tf.Tensor) =>
        tf.sum(new FastBernoulliEvent(l, 1).logProbRepeated(x, 4)) as tf.Scalar;
      return tf.grad(f)(logits);
    });
    tf.dispose([logits, x]);
  });
});
