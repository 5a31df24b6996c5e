import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { mmd } from '../src/index.js';
import { allFinite, expectInvalidArgument, value } from './helpers.js';

/** The unbiased MMD^2 written out with loops, as an independent reference. */
function bruteForce(
  x: number[][],
  y: number[][],
  kernel: (a: number[], b: number[]) => number,
): number {
  const pairMean = (a: number[][], b: number[][], skipDiagonal: boolean) => {
    let total = 0;
    let count = 0;
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < b.length; j++) {
        if (skipDiagonal && i === j) continue;
        total += kernel(a[i]!, b[j]!);
        count++;
      }
    }
    return total / count;
  };
  return pairMean(x, x, true) + pairMean(y, y, true) - 2 * pairMean(x, y, false);
}

const squared = (a: number[], b: number[]) => a.reduce((s, ai, i) => s + (ai - b[i]!) ** 2, 0);

describe('mmd', () => {
  const x = [
    [0.1, 0.4],
    [-0.3, 1.2],
    [0.8, -0.5],
  ];
  const y = [
    [1.1, 0.0],
    [0.2, 0.3],
    [-0.6, -0.9],
    [0.5, 0.5],
  ];

  it('matches a brute-force unbiased estimate for both kernels and several bandwidths', () => {
    const c = (h: number) => 2 * 2 * h * h;
    expectClose(
      mmd(x, y, { kernel: 'rbf' }),
      bruteForce(x, y, (a, b) => Math.exp(-squared(a, b) / c(1))),
    );
    expectClose(
      mmd(x, y, { kernel: 'imq', bandwidth: 0.5 }),
      bruteForce(x, y, (a, b) => c(0.5) / (c(0.5) + squared(a, b))),
    );
    expectClose(
      mmd(x, y, { kernel: 'rbf', bandwidth: [0.5, 2] }),
      bruteForce(
        x,
        y,
        (a, b) => Math.exp(-squared(a, b) / c(0.5)) + Math.exp(-squared(a, b) / c(2)),
      ),
    );
  });

  it('is near 0 for samples of one distribution and clearly positive for a shifted one (seeded)', () => {
    const n = 300;
    const a = tf.randomNormal([n, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([n, 4], 0, 1, 'float32', 2);
    const shifted = tf.add(tf.randomNormal([n, 4], 0, 1, 'float32', 3), 1);
    for (const kernel of ['rbf', 'imq'] as const) {
      const same = value(mmd(a, b, { kernel }));
      const different = value(mmd(a, shifted, { kernel }));
      // Under the null the unbiased estimate has mean 0 and a spread of order 1/n.
      expect(Math.abs(same)).toBeLessThan(0.01);
      expect(different).toBeGreaterThan(0.1);
      expect(different).toBeGreaterThan(20 * Math.abs(same));
    }
  });

  it('matches finite differences', () => {
    const yt = tf.tensor(y);
    const f = (t: tf.Tensor) => mmd(t, yt, { kernel: 'imq', validateArgs: false }) as tf.Scalar;
    const xt = tf.tensor(x);
    expectClose(tf.grad(f)(xt), numericGradient(f, xt, 1e-2), { rtol: 2e-2, atol: 1e-3 });
    // Identical rows (zero distances) keep the gradient finite.
    const g = tf.grad((t: tf.Tensor) => mmd(t, t, { kernel: 'rbf' }))(
      tf.tensor([
        [1, 1],
        [1, 1],
        [0, 2],
      ]),
    );
    expect(allFinite(g)).toBe(true);
  });

  it('rejects bad input and leaks no tensors', async () => {
    expectInvalidArgument(
      () => mmd(x, y, { kernel: 'gauss' as 'rbf' }),
      `mmd: \`kernel\` must be 'rbf' or 'imq', got "gauss"`,
    );
    expectInvalidArgument(
      () => mmd([[1, 2]], y, { kernel: 'rbf' }),
      'mmd: `x` must have shape [n, d] with n >= 2, got a tensor of shape [1, 2]',
    );
    expectInvalidArgument(
      () => mmd(x, [[1], [2]], { kernel: 'rbf' }),
      'mmd: `x` and `y` must have the same number of columns, got [3, 2] and [2, 1]',
    );
    expectInvalidArgument(
      () => mmd(x, y, { kernel: 'rbf', bandwidth: 0 }),
      'mmd: `bandwidth` must be a positive number or a non-empty list of them, got [0]',
    );
    expectInvalidArgument(
      () =>
        mmd(
          x,
          [
            [1, Number.NaN],
            [0, 0],
          ],
          { kernel: 'imq' },
        ),
      /^mmd: `y` must not contain NaN/,
    );
    const xt = tf.tensor(x);
    const yt = tf.tensor(y);
    await expectNoLeaks(() => mmd(xt, yt, { kernel: 'rbf' }));
    await expectNoLeaks(() => mmd(xt, yt, { kernel: 'imq', bandwidth: [1, 2] }));
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => mmd(t, yt, { kernel: 'imq' }))(xt));
    await expectNoLeaks(() => {
      expect(() => mmd(xt, yt, { kernel: 'rbf', bandwidth: -1 })).toThrow(/bandwidth/);
    });
    tf.dispose([xt, yt]);
  });
});
