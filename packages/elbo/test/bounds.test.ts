import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@vae/divergence';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elbo, elboGap, iwae, logLikelihood, negativeElboLoss, VaeError } from '../src/index.js';
import { LinearGaussian } from './linear-gaussian.js';

const points = [
  [0.5, 0.1],
  [-1.2, 0.9],
  [2.0, -1.5],
];
let exact: LinearGaussian;
let rough: LinearGaussian; // a deliberately poor encoder
let x: tf.Tensor2D;
let logMarginal: number[];

beforeAll(() => {
  exact = new LinearGaussian();
  rough = new LinearGaussian(0.6, 2.5);
  x = tf.tensor2d(points);
  logMarginal = points.map((p) => exact.logMarginal(p));
});

afterAll(() => {
  x.dispose();
  exact.dispose();
  rough.dispose();
});

describe('elbo on a linear-Gaussian model', () => {
  it('with the exact posterior and Monte Carlo KL, equals log p(x) for any sample', async () => {
    const terms = await expectNoLeaks(() => elbo(exact, x, { samples: 3, seed: 1 }));
    expect(terms.elbo.isDisposed).toBe(true);
    tf.tidy(() => {
      // log p(x | z) + log p(z) - log q(z | x) = log p(x) for every z when q is the true posterior.
      const terms = elbo(exact, x, { samples: 3, seed: 1, kl: 'montecarlo' });
      expectClose(terms.elbo, logMarginal, { rtol: 1e-4, atol: 1e-4 });
    });
  });

  it('matches the closed-form reconstruction and KL (Monte Carlo, 4000 samples)', () => {
    tf.tidy(() => {
      const t = elbo(rough, x, { samples: 4000, seed: 2 });
      const closed = points.map((p) => rough.elboClosedForm(p));
      expectClose(
        t.kl,
        closed.map((c) => c.kl),
        { rtol: 1e-4, atol: 1e-5 },
      );
      // Standard error of the reconstruction mean is below 0.03 here; allow 0.1.
      expectClose(
        t.reconstruction,
        closed.map((c) => c.reconstruction),
        { rtol: 0, atol: 0.1 },
      );
      expectClose(t.elbo, tf.sub(t.reconstruction, t.kl));
      const bounds = t.elbo.arraySync();
      for (const [i, bound] of bounds.entries()) expect(bound).toBeLessThan(logMarginal[i]!);
    });
  });

  it('Monte Carlo KL agrees with the analytic KL (20000 samples, 3 standard errors)', () => {
    tf.tidy(() => {
      const analytic = elbo(rough, x, { samples: 20000, seed: 3 });
      const montecarlo = elbo(rough, x, { samples: 20000, seed: 3, kl: 'montecarlo' });
      expectClose(montecarlo.kl, analytic.kl, { rtol: 0, atol: 0.03 });
    });
  });

  it('beta and free bits: penalty = sum_j max(lambda, KL_j)', () => {
    tf.tidy(() => {
      const plain = elbo(rough, x, { seed: 4 });
      const weighted = elbo(rough, x, { seed: 4, beta: 3 });
      expectClose(weighted.elbo, tf.sub(plain.reconstruction, tf.mul(plain.kl, 3)));
      const free = elbo(rough, x, { seed: 4, freeBits: 10 });
      expectClose(free.elbo, tf.sub(plain.reconstruction, 10));
      expectClose(free.kl, plain.kl);
    });
  });

  it('negativeElboLoss is -mean(elbo) for the same seed', async () => {
    const loss = await expectNoLeaks(() => negativeElboLoss(rough, x, { seed: 5 }));
    expect(loss.isDisposed).toBe(true);
    tf.tidy(() => {
      expectClose(
        negativeElboLoss(rough, x, { seed: 5 }),
        tf.neg(tf.mean(elbo(rough, x, { seed: 5 }).elbo)),
      );
      expectClose(
        negativeElboLoss(rough, x, { seed: 5, samples: 3 }),
        tf.neg(tf.mean(elbo(rough, x, { seed: 5, samples: 3 }).elbo)),
      );
    });
  });

  it('rejects bad options', () => {
    expect(() => elbo(rough, x, { samples: 0 })).toThrow(VaeError);
    expect(() => elbo(rough, x, { kl: 'exact' as 'analytic' })).toThrow(
      /`kl` must be 'auto', 'analytic' or 'montecarlo'/,
    );
    expect(() => iwae(rough, x, { k: 0 })).toThrow(/iwae: `k` must be a positive integer, got 0/);
  });
});

describe('iwae and logLikelihood on a linear-Gaussian model', () => {
  it('iwae = log p(x) exactly with the exact posterior', () => {
    tf.tidy(() =>
      expectClose(iwae(exact, x, { k: 7, seed: 1 }), logMarginal, { rtol: 1e-4, atol: 1e-4 }),
    );
  });

  it('elbo <= iwae(k) <= log p(x), nondecreasing in k on average, approaching log p(x)', async () => {
    const average = (k: number, count: number) =>
      tf.tidy(() => {
        const runs = Array.from({ length: count }, (_, r) => iwae(rough, x, { k, seed: 100 + r }));
        return Array.from(tf.mean(tf.stack(runs), 0).dataSync());
      });
    const elboMean = tf.tidy(() =>
      Array.from(elbo(rough, x, { samples: 4000, seed: 9 }).elbo.dataSync()),
    );
    const k10 = average(10, 40);
    const k100 = average(100, 20);
    const big = await expectNoLeaks(() =>
      logLikelihood(rough, x, { k: 20000, batchSize: 3000, seed: 1 }),
    );
    expect(big.isDisposed).toBe(true);
    const ll = tf.tidy(() =>
      Array.from(logLikelihood(rough, x, { k: 20000, batchSize: 3000, seed: 1 }).dataSync()),
    );
    points.forEach((_, i) => {
      expect(elboMean[i]!).toBeLessThan(logMarginal[i]!);
      expect(k10[i]!).toBeGreaterThan(elboMean[i]!);
      expect(k100[i]!).toBeGreaterThan(k10[i]! - 0.01);
      expect(ll[i]!).toBeLessThan(logMarginal[i]! + 0.01);
      expect(ll[i]!).toBeGreaterThan(logMarginal[i]! - 0.05);
    });
  });

  it('iwae with k = 1 is the single-sample ELBO with Monte Carlo KL (same draw)', () => {
    tf.tidy(() => {
      // iwae's first chunk draws from stream 0 of its seed.
      const single = elbo(rough, x, { samples: 1, seed: deriveSeed(11, 0), kl: 'montecarlo' }).elbo;
      expectClose(iwae(rough, x, { k: 1, seed: 11 }), single, { rtol: 1e-5, atol: 1e-5 });
    });
  });

  it('chunking does not change the estimate (same samples)', () => {
    tf.tidy(() => {
      // One chunk of 12 vs chunks of 4 (seeds differ by chunk), both close to log p(x).
      const whole = logLikelihood(exact, x, { k: 12, batchSize: 36, seed: 1 });
      const chunked = logLikelihood(exact, x, { k: 12, batchSize: 12, seed: 1 });
      expectClose(whole, logMarginal, { rtol: 1e-4, atol: 1e-4 });
      expectClose(chunked, logMarginal, { rtol: 1e-4, atol: 1e-4 });
    });
  });

  it('elboGap estimates KL(q || true posterior): 0 for the exact encoder, positive otherwise', async () => {
    await expectNoLeaks(() => elboGap(rough, x, { k: 100, seed: 1 }));
    tf.tidy(() => {
      // The ELBO term is a 20000-sample estimate here: its noise is below 0.02.
      expectClose(elboGap(exact, x, { k: 50, samples: 20000, seed: 1 }), [0, 0, 0], {
        rtol: 0,
        atol: 0.03,
      });
      const gap = elboGap(rough, x, { k: 5000, samples: 5000, seed: 1 }).dataSync();
      for (const g of gap) expect(g).toBeGreaterThan(0.05);
    });
  });
});
