import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { klDivergence, Poisson } from '../src/index.js';
import { expectVaeError, values } from './gamma-family-support.js';
import { checkKlBasics, checkKlMonteCarlo, checkSampleMoments } from './helpers/properties.js';
import {
  checkKlCase,
  checkReferenceCase,
  referenceCase,
  referenceKlCase,
} from './helpers/reference.js';

const make = (p: Record<string, tf.Tensor>) => new Poisson({ rate: p.rate! });

function logPmf(k: number, rate: number): number {
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  return k * Math.log(rate) - rate - logFactorial;
}

describe('Poisson', () => {
  it('matches torch: log_prob, mean, variance', async () => {
    const checked = await checkReferenceCase(referenceCase('Poisson'), make);
    expect(checked).toEqual(['log_prob', 'mean', 'variance']);
  });

  it('matches torch: KL(Poisson || Poisson)', async () => {
    await checkKlCase(referenceKlCase('Poisson', 'Poisson'), make, make);
  });

  it('has KL(p, p) = 0, KL >= 0 and KL equal to its Monte Carlo estimate', async () => {
    await expectNoLeaks(() => {
      const p = new Poisson({ rate: [0.4, 3, 25] });
      const q = new Poisson({ rate: [1, 2, 30] });
      checkKlBasics(p, q);
      checkKlMonteCarlo(p, q, { atol: 1e-3 });
      p.dispose();
      q.dispose();
    });
  });

  it('samples integers with the right mean and variance on both sides of the sampler switch', async () => {
    await expectNoLeaks(() => {
      const p = new Poisson({ rate: [0, 0.05, 1.5, 9.99, 10, 17, 240, 1e5] });
      checkSampleMoments(p, { atol: 1e-3 });
      const x = p.sample([500], 3);
      const v = values(x);
      expect(v.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
      // rate 0 always gives 0
      expect(v.filter((_, i) => i % 8 === 0).every((k) => k === 0)).toBe(true);
      x.dispose();
      p.dispose();
    });
  });

  it('sample frequencies match the pmf (inversion at rate 3, PTRS at rate 14)', () => {
    const n = 40000;
    const p = new Poisson({ rate: [3, 14] });
    const x = p.sample([n], 21);
    const v = values(x);
    for (const [column, rate] of [
      [0, 3],
      [1, 14],
    ] as const) {
      const counts = new Map<number, number>();
      for (let i = column; i < v.length; i += 2) counts.set(v[i]!, (counts.get(v[i]!) ?? 0) + 1);
      for (let k = 0; k < 30; k++) {
        const expected = Math.exp(logPmf(k, rate));
        const observed = (counts.get(k) ?? 0) / n;
        const standardError = Math.sqrt((expected * (1 - expected)) / n);
        expect(Math.abs(observed - expected), `rate ${rate}, k = ${k}`).toBeLessThanOrEqual(
          5 * standardError + 1e-4,
        );
      }
    }
    x.dispose();
    p.dispose();
  });

  it('logProb uses 0 log 0 = 0 at rate 0, and sums to 1 over the counts', () => {
    const p = new Poisson({ rate: [0, 2.5] });
    const at0 = p.logProb([0, 0]);
    const at1 = p.logProb([1, 1]);
    expectClose(at0, [0, -2.5]);
    expectClose(at1, [-Infinity, Math.log(2.5) - 2.5]);
    const ks = tf.tensor2d(Array.from({ length: 60 }, (_, k) => [k, k]));
    const total = tf.tidy(() => tf.sum(tf.exp(p.logProb(ks)), 0));
    expectClose(total, [1, 1], { atol: 1e-5 });
    tf.dispose([at0, at1, ks, total]);
    p.dispose();
  });

  it('has mode floor(rate) and a logProb gradient that matches finite differences', () => {
    const p = new Poisson({ rate: [0.5, 3.7] });
    const mode = p.mode();
    expectClose(mode, [0, 3]);
    const rate = tf.tensor1d([0.5, 3.7]);
    const f = (r: tf.Tensor) =>
      tf.tidy(() => tf.sum(new Poisson({ rate: r }).logProb([2, 5])) as tf.Scalar);
    const g = tf.grad(f)(rate);
    expectClose(g, numericGradient(f, rate, 1e-3), { rtol: 2e-3, atol: 2e-3 });
    expectClose(g, [2 / 0.5 - 1, 5 / 3.7 - 1], { rtol: 1e-5 });
    tf.dispose([mode, rate, g]);
    p.dispose();
  });

  it('rejects bad parameters and values with messages naming the class and argument', () => {
    expectVaeError(
      () => new Poisson({ rate: [1, -1] }),
      'INVALID_ARGUMENT',
      /Poisson: `rate` must be non-negative/,
    );
    expectVaeError(
      () => new Poisson({ rate: Infinity }),
      'INVALID_ARGUMENT',
      /Poisson: `rate` must be finite/,
    );
    const p = new Poisson({ rate: 2 });
    expectVaeError(
      () => p.logProb([1.5]),
      'INVALID_ARGUMENT',
      /Poisson\.logProb: `value` must be a non-negative integer/,
    );
    expectVaeError(() => p.entropy(), 'UNSUPPORTED', /Poisson\.entropy/);
    expectVaeError(() => p.rsample(), 'NOT_REPARAMETERIZABLE', /Poisson\.rsample/);
    p.dispose();
    // Support mismatch: q = Poisson(0) has no mass where p = Poisson(1) has.
    const [one, zero] = [new Poisson({ rate: 1 }), new Poisson({ rate: 0 })];
    const kl = klDivergence(one, zero);
    expectClose(kl, [Infinity]);
    kl.dispose();
    one.dispose();
    zero.dispose();
  });
});
