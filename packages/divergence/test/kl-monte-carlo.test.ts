import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { klMonteCarlo, klNormal } from '../src/index.js';
import { expectInvalidArgument, value } from './helpers.js';

function normalLogProb(x: tf.Tensor, loc: number, scale: number): tf.Tensor {
  const z = tf.div(tf.sub(x, loc), scale);
  return tf.sub(tf.mul(-0.5, tf.square(z)), Math.log(scale) + 0.5 * Math.log(2 * Math.PI));
}

describe('klMonteCarlo', () => {
  it('is the mean of logP - logQ over axis 0, batched', () => {
    const logP = tf.tensor([
      [-1, -2],
      [-3, -4],
    ]);
    const logQ = tf.tensor([
      [-2, -2],
      [-3, -6],
    ]);
    expectClose(klMonteCarlo(logP, logQ), [0.5, 1]);
    expectClose(klMonteCarlo(logP, logQ, { axis: -1 }), [0.5, 1]);
    expect(value(klMonteCarlo([-1, -1], [-2, Number.NEGATIVE_INFINITY]))).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('agrees with klNormal both ways (100k samples, seed 7, 4 standard errors)', () => {
    const n = 100_000;
    for (const [p, q] of [
      [
        { loc: 0, scale: 1 },
        { loc: 1, scale: 2 },
      ],
      [
        { loc: 1, scale: 2 },
        { loc: 0, scale: 1 },
      ],
    ] as const) {
      const x = tf.add(tf.mul(tf.randomNormal([n], 0, 1, 'float32', 7), p.scale), p.loc);
      const logP = normalLogProb(x, p.loc, p.scale);
      const logQ = normalLogProb(x, q.loc, q.scale);
      const sd = Math.sqrt(tf.moments(tf.sub(logP, logQ)).variance.dataSync()[0]!);
      const error = Math.abs(value(klMonteCarlo(logP, logQ)) - value(klNormal(p, q)));
      expect(error).toBeLessThan((4 * sd) / Math.sqrt(n));
    }
  });

  it('passes gradients through (the pathwise estimator)', () => {
    // d/dloc E_{eps}[log p(loc + eps) - log q(loc + eps)] with p = N(loc, 1), q = N(0, 1) is loc.
    const eps = tf.randomNormal([50_000], 0, 1, 'float32', 11);
    const g = tf.grad((loc: tf.Tensor) => {
      const x = tf.add(eps, loc);
      const logP = tf.mul(-0.5, tf.square(tf.sub(x, loc)));
      const logQ = tf.mul(-0.5, tf.square(x));
      return klMonteCarlo(logP, logQ, { validateArgs: false });
    })(tf.scalar(0.7));
    expectClose(g, 0.7, { atol: 0.02 });
  });

  it('rejects bad input and leaks no tensors', async () => {
    expectInvalidArgument(
      () => klMonteCarlo(tf.tensor([-1, Number.NaN]), tf.tensor([-1, -1])),
      'klMonteCarlo: `logP` must not contain NaN, got a tensor of shape [2] with 1 NaN',
    );
    expectInvalidArgument(
      () => klMonteCarlo(tf.tensor([-1, Number.NEGATIVE_INFINITY]), tf.tensor([-1, -1])),
      'klMonteCarlo: `logP` must be finite, got a tensor of shape [2] with min -Infinity',
    );
    expectInvalidArgument(
      () => klMonteCarlo(tf.zeros([3, 2]), tf.zeros([3, 4])),
      'klMonteCarlo: `logP` and `logQ` must have the same or broadcastable shapes, got [3, 2] and [3, 4]',
    );
    const logP = tf.tensor([[-1, -2]]);
    await expectNoLeaks(() => klMonteCarlo(logP, logP));
    await expectNoLeaks(() => {
      expect(() => klMonteCarlo(logP, logP, { axis: 2 })).toThrow(/axis/);
    });
    logP.dispose();
  });
});
