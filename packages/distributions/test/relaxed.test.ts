import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { RelaxedBernoulli, RelaxedOneHotCategorical } from '../src/index.js';
import { expectVaeError, values } from './gamma-family-support.js';
import { checkRsampleGradient, expectMonteCarloMean } from './helpers/properties.js';

describe('RelaxedBernoulli', () => {
  it('logProb is the binary Concrete density and integrates to 1 over (0, 1)', () => {
    const d = new RelaxedBernoulli({ temperature: [0.5, 1, 3], logits: [1.2, -0.4, 2] });
    // Hand formula at x = 0.3: tau a x^(-tau-1) (1-x)^(-tau-1) / (a x^-tau + (1-x)^-tau)^2, a = e^logit
    const x = 0.3;
    const expected = [0.5, 1, 3].map((tau, i) => {
      const a = Math.exp([1.2, -0.4, 2][i]!);
      const num = tau * a * x ** (-tau - 1) * (1 - x) ** (-tau - 1);
      return Math.log(num / (a * x ** -tau + (1 - x) ** -tau) ** 2);
    });
    const logp = d.logProb([x, x, x]);
    expectClose(logp, expected, { rtol: 1e-5, atol: 1e-5 });
    // Integrate in logit space: x = sigmoid(y), dx = x (1 - x) dy, y on [-60, 60].
    const n = 24001;
    const y = tf.linspace(-60, 60, n);
    const grid = tf.sigmoid(y);
    const integral = tf.tidy(() => {
      const column = tf.reshape(grid, [n, 1]);
      const density = tf.exp(d.logProb(tf.clipByValue(column, 1e-30, 1 - 1e-7)));
      return tf.mul(tf.sum(tf.mul(density, tf.mul(column, tf.sub(1, column))), 0), 120 / (n - 1));
    });
    expectClose(integral, [1, 1, 1], { atol: 2e-3 });
    tf.dispose([logp, y, grid, integral]);
    d.dispose();
  });

  it('samples lie in (0, 1), have mean probs at any temperature in the limit, and harden as temperature -> 0', async () => {
    await expectNoLeaks(() => {
      const cold = new RelaxedBernoulli({ temperature: 0.02, probs: [0.2, 0.5, 0.9] });
      const x = cold.sample([4000], 5);
      const v = values(x);
      expect(Math.min(...v)).toBeGreaterThan(0);
      expect(Math.max(...v)).toBeLessThan(1);
      const nearEnds = v.filter((s) => s < 1e-3 || s > 1 - 1e-3).length / v.length;
      expect(nearEnds).toBeGreaterThan(0.95);
      // P(x > 1/2) = probs exactly, at any temperature (the logistic noise is symmetric).
      const above = tf.tidy(() => tf.cast(tf.greater(x, 0.5), 'float32'));
      const probs = tf.tensor1d([0.2, 0.5, 0.9]);
      expectMonteCarloMean(above, probs);
      tf.dispose([x, above, probs]);
      cold.dispose();
    });
  });

  it('rsample gradients match finite differences with fixed noise', () => {
    const logits = tf.tensor1d([0.3, -1, 2]);
    checkRsampleGradient((l) => new RelaxedBernoulli({ temperature: 0.7, logits: l }), logits, {
      step: 1e-3,
    });
    const temperature = tf.tensor1d([0.5, 1, 2]);
    checkRsampleGradient(
      (t) => new RelaxedBernoulli({ temperature: t, logits: [0.3, -1, 2] }),
      temperature,
      { step: 1e-3 },
    );
    tf.dispose([logits, temperature]);
  });

  it('rejects bad arguments and has no mean or entropy', () => {
    expectVaeError(
      () => new RelaxedBernoulli({ temperature: 0, probs: 0.5 }),
      'INVALID_ARGUMENT',
      /RelaxedBernoulli: `temperature` must be positive/,
    );
    expectVaeError(
      () => new RelaxedBernoulli({ temperature: 1, probs: 1.5 }),
      'INVALID_ARGUMENT',
      /RelaxedBernoulli: `probs` must be in \[0, 1\]/,
    );
    const d = new RelaxedBernoulli({ temperature: 1, logits: [0, 1] });
    expectVaeError(() => d.logProb([2, 0.5]), 'INVALID_ARGUMENT', /RelaxedBernoulli\.logProb/);
    expectVaeError(() => d.entropy(), 'UNSUPPORTED', /RelaxedBernoulli\.entropy/);
    expectVaeError(() => d.mean(), 'UNSUPPORTED', /RelaxedBernoulli\.mean/);
    d.dispose();
  });
});

describe('RelaxedOneHotCategorical', () => {
  it('with K = 2 has the density of RelaxedBernoulli on the first coordinate', () => {
    const logits = [
      [0.5, -0.3],
      [2, 1],
    ];
    const d = new RelaxedOneHotCategorical({ temperature: [0.6, 1.5], logits });
    const b = new RelaxedBernoulli({ temperature: [0.6, 1.5], logits: [0.8, 1] });
    const lp = d.logProb([
      [0.25, 0.75],
      [0.9, 0.1],
    ]);
    const lb = b.logProb([0.25, 0.9]);
    expectClose(lp, lb, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([lp, lb]);
    d.dispose();
    b.dispose();
  });

  it('samples lie on the simplex, argmax is exactly Categorical(probs), and they harden as temperature -> 0', async () => {
    await expectNoLeaks(() => {
      const probs = tf.tensor2d([
        [0.1, 0.3, 0.6],
        [0.5, 0.25, 0.25],
      ]);
      const warm = new RelaxedOneHotCategorical({ temperature: 2, probs });
      const x = warm.sample([8000], 9);
      expect(x.shape).toEqual([8000, 2, 3]);
      const sums = tf.sum(x, -1);
      expectClose(sums, new Array(16000).fill(1), { atol: 1e-5 });
      // Gumbel-max: argmax of the scores is Categorical(probs) at every temperature.
      const frequencies = tf.tidy(() => tf.cast(tf.oneHot(tf.argMax(x, -1), 3), 'float32'));
      expectMonteCarloMean(frequencies, probs);
      const cold = new RelaxedOneHotCategorical({ temperature: 0.01, probs });
      const y = cold.sample([2000], 10);
      const largest = tf.max(y, -1);
      expect(values(largest).filter((m) => m > 0.99).length / 4000).toBeGreaterThan(0.97);
      tf.dispose([probs, x, sums, frequencies, y, largest]);
      warm.dispose();
      cold.dispose();
    });
  });

  it('logProb has shape [...sample, ...batch] and broadcasts a per-batch temperature', () => {
    const d = new RelaxedOneHotCategorical({ temperature: [0.5, 2], logits: [0, 1, 2] });
    expect(d.batchShape).toEqual([2]);
    expect(d.eventShape).toEqual([3]);
    const x = d.rsample([4], 2);
    const lp = d.logProb(x);
    expect(lp.shape).toEqual([4, 2]);
    expect(values(lp).every(Number.isFinite)).toBe(true);
    tf.dispose([x, lp]);
    d.dispose();
  });

  it('rsample gradients match finite differences with fixed noise', () => {
    const logits = tf.tensor1d([0.3, -1, 2]);
    checkRsampleGradient(
      (l) => new RelaxedOneHotCategorical({ temperature: 0.8, logits: l }),
      logits,
      { step: 1e-3 },
    );
    logits.dispose();
  });

  it('rejects bad arguments', () => {
    expectVaeError(
      () => new RelaxedOneHotCategorical({ temperature: -1, logits: [0, 1] }),
      'INVALID_ARGUMENT',
      /RelaxedOneHotCategorical: `temperature` must be positive/,
    );
    expectVaeError(
      () =>
        new RelaxedOneHotCategorical({
          temperature: [1, 2, 3],
          logits: [
            [0, 1],
            [1, 0],
          ],
        }),
      'INVALID_ARGUMENT',
      /RelaxedOneHotCategorical: `temperature` of shape \[3\] does not broadcast/,
    );
    const d = new RelaxedOneHotCategorical({ temperature: 1, logits: [0, 1] });
    expectVaeError(
      () => d.logProb([0.7, 0.7]),
      'INVALID_ARGUMENT',
      /RelaxedOneHotCategorical\.logProb: `value` must be on the probability simplex/,
    );
    d.dispose();
  });
});
