import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Beta, Dirichlet, Gamma } from '../src/index.js';
import { logGammaHost, regularizedGammaP } from '../src/internal/special-random.js';
import { values } from './gamma-family-support.js';

/** x with P(alpha, x) = u, by bisection in float64. */
function inverseGammaP(alpha: number, u: number): number {
  let low = 0;
  let high = Math.max(1, alpha * 20 + 50);
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (low + high);
    if (regularizedGammaP(alpha, mid) < u) low = mid;
    else high = mid;
  }
  return 0.5 * (low + high);
}

/** Mean over axis 0 of the gradient of sum(rsample) with respect to `param`, divided by n. */
function meanGradient(make: (param: tf.Tensor) => tf.Tensor, param: tf.Tensor): number[] {
  const grad = tf.grad(make)(param);
  const result = values(grad);
  grad.dispose();
  return result;
}

describe('host special functions', () => {
  it('logGammaHost and regularizedGammaP match closed forms', () => {
    expect(Math.abs(logGammaHost(0.5) - 0.5 * Math.log(Math.PI))).toBeLessThan(1e-13);
    expect(Math.abs(logGammaHost(11) - Math.log(3628800))).toBeLessThan(1e-12);
    // P(1, x) = 1 - e^-x; P(3, x) = 1 - e^-x (1 + x + x^2 / 2)
    for (const x of [0.01, 0.7, 3, 20]) {
      expect(Math.abs(regularizedGammaP(1, x) - (1 - Math.exp(-x)))).toBeLessThan(1e-13);
      const p3 = 1 - Math.exp(-x) * (1 + x + (x * x) / 2);
      expect(Math.abs(regularizedGammaP(3, x) - p3)).toBeLessThan(1e-13);
    }
  });
});

describe('Gamma.rsample (implicit reparameterization)', () => {
  it('has dx/dalpha equal to finite differences of the inverse CDF at the same u', () => {
    const alphas = [0.3, 1, 2.5, 9];
    const alpha = tf.tensor1d(alphas);
    const seed = 17;
    const x = new Gamma({ concentration: alpha, rate: 1 }).sample([4], seed);
    const xs = values(x);
    const grad = tf.grad((a: tf.Tensor) =>
      tf.sum(new Gamma({ concentration: a, rate: 1 }).rsample([4], seed)),
    )(alpha);
    const expected = alphas.map((a, j) => {
      let total = 0;
      for (let i = 0; i < 4; i++) {
        const u = regularizedGammaP(a, xs[i * 4 + j]!);
        const h = 1e-4 * a;
        total += (inverseGammaP(a + h, u) - inverseGammaP(a - h, u)) / (2 * h);
      }
      return total;
    });
    expectClose(grad, expected, { rtol: 2e-3, atol: 1e-4 });
    tf.dispose([alpha, x, grad]);
  });

  it('gives unbiased gradients of the mean: dE[x]/dalpha = 1/rate, dE[x]/drate = -alpha/rate^2', async () => {
    await expectNoLeaks(() => {
      const n = 4000;
      const alpha = tf.tensor1d([0.5, 2, 7]);
      const rate = tf.tensor1d([2, 1, 0.5]);
      const mean = (a: tf.Tensor, r: tf.Tensor) =>
        tf.div(tf.sum(new Gamma({ concentration: a, rate: r }).rsample([n], 3)), n) as tf.Scalar;
      const ga = meanGradient((a) => mean(a, rate), alpha);
      const gr = meanGradient((r) => mean(alpha, r), rate);
      expectClose(ga, [0.5, 1, 2], { rtol: 0.08 });
      expectClose(gr, [-0.5 / 4, -2, -28], { rtol: 0.08 });
      tf.dispose([alpha, rate]);
    });
  });
});

describe('Beta.rsample and Dirichlet.rsample', () => {
  it('Beta: dE[x]/da = b / (a + b)^2 by Monte Carlo', () => {
    const n = 4000;
    const a = tf.tensor1d([0.7, 2, 5]);
    const b = [1.5, 2, 0.8];
    const g = meanGradient(
      (t) =>
        tf.div(
          tf.sum(new Beta({ concentration1: t, concentration0: b }).rsample([n], 5)),
          n,
        ) as tf.Scalar,
      a,
    );
    expectClose(
      g,
      [0.7, 2, 5].map((ai, i) => b[i]! / (ai + b[i]!) ** 2),
      { rtol: 0.1 },
    );
    a.dispose();
  });

  it('Dirichlet: dE[x_0]/dalpha_0 = (alpha_sum - alpha_0) / alpha_sum^2 by Monte Carlo', () => {
    const n = 4000;
    const alpha = tf.tensor1d([1.5, 2, 3]);
    const g = meanGradient(
      (t) =>
        tf.div(
          tf.sum(tf.slice(new Dirichlet({ concentration: t }).rsample([n], 6), [0, 0], [n, 1])),
          n,
        ) as tf.Scalar,
      alpha,
    );
    // E[x_0] = a0 / S: d/da0 = (S - a0) / S^2, d/da_k = -a0 / S^2.
    expectClose(g, [5 / 42.25, -1.5 / 42.25, -1.5 / 42.25], { rtol: 0.12, atol: 3e-3 });
    alpha.dispose();
  });
});
