// Regression tests for the precision defects of issue 12, at the inputs the audit gave, against
// float64 values from scipy and torch (test/fixtures/torch-continuous.json, `regressions`).
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, type ReferenceArray } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Bernoulli,
  Beta,
  ContinuousBernoulli,
  Exponential,
  Laplace,
  LogNormal,
  Normal,
} from '../src/index.js';
import { checkKlCaseWith, continuousReference, referenceKlCase } from './helpers/reference.js';

const regressions = continuousReference().regressions;
/** The smallest normal float32: GPUs flush denormals to 0, so inputs and outputs stay above it. */
const TINY = 1.1754943508222875e-38;
const numbers = (value: ReferenceArray | undefined) => (value as (number | string)[]).map(Number);

describe('normal and Laplace tails (were -Infinity / 0 below p = 1e-8)', () => {
  it('Normal.icdf and LogNormal.icdf keep the far lower tail: icdf(1e-8) = -5.612001', async () => {
    const all = numbers(regressions.normal_icdf!.p);
    const normalRange = all.map((v) => v >= TINY);
    const p = all.filter((_, i) => normalRange[i]);
    const icdf = numbers(regressions.normal_icdf!.icdf).filter((_, i) => normalRange[i]);
    expect(p).toEqual([1e-8, 1e-10, 1e-20, 1e-30]);
    await expectNoLeaks(() => {
      const normal = new Normal({ loc: 0, scale: 1 });
      const quantiles = normal.icdf(p);
      expectClose(quantiles, icdf, { rtol: 2e-6, atol: 0 });
      const logNormal = new LogNormal({ loc: 0, scale: 1 });
      const logQuantiles = logNormal.icdf(p);
      expectClose(logQuantiles, icdf.map(Math.exp), { rtol: 5e-5, atol: 0 });
      // The upper tail at the largest float32 below 1.
      const { upper_p: upperP, upper_icdf: upperIcdf } = regressions.normal_icdf!;
      const upper = normal.icdf([upperP as number]);
      expectClose(upper, [upperIcdf as number], { rtol: 2e-6, atol: 0 });
      tf.dispose([quantiles, logQuantiles, upper]);
      normal.dispose();
      logNormal.dispose();
    });
  });

  it('Normal.cdf keeps the lower tail (Phi(-10) = 7.6e-24, not 0)', async () => {
    const { x, cdf } = regressions.normal_cdf!;
    const xs = numbers(x);
    const expected = numbers(cdf);
    await expectNoLeaks(() => {
      const normal = new Normal({ loc: 0, scale: 1 });
      const cdfs = normal.cdf(xs);
      const actual = Array.from(cdfs.dataSync());
      cdfs.dispose();
      xs.forEach((_, i) => {
        // Phi(-14) = 7.8e-45 is a float32 denormal, flushed to 0 on GPUs: not checked.
        if (expected[i]! >= TINY) expectClose(actual[i]!, expected[i]!, { rtol: 2e-5, atol: 0 });
      });
      normal.dispose();
    });
  });

  it('Laplace.icdf(1e-30) and the lower-tail Laplace.cdf are finite and exact', async () => {
    await expectNoLeaks(() => {
      const laplace = new Laplace({ loc: 0, scale: 1 });
      const icdf = laplace.icdf(numbers(regressions.laplace_icdf!.p));
      expectClose(icdf, numbers(regressions.laplace_icdf!.icdf), { rtol: 1e-6, atol: 1e-6 });
      const cdf = laplace.cdf(numbers(regressions.laplace_cdf!.x));
      expectClose(cdf, numbers(regressions.laplace_cdf!.cdf), { rtol: 1e-6, atol: 0 });
      tf.dispose([icdf, cdf]);
      laplace.dispose();
    });
  });
});

describe('log1p on every backend (wasm computed log(1 + x))', () => {
  it('Exponential(1e-6).icdf(1e-7) is 0.1 (was 0.119 on wasm)', async () => {
    const { p, icdf } = regressions.exponential_icdf!;
    await expectNoLeaks(() => {
      const d = new Exponential({ rate: 1e-6 });
      const actual = d.icdf(numbers(p));
      expectClose(actual, numbers(icdf), { rtol: 1e-6, atol: 0 });
      actual.dispose();
      d.dispose();
    });
  });
});

describe('ContinuousBernoulli and Bernoulli from logits (were clamped at logits of +-30)', () => {
  it('ContinuousBernoulli at logits 30, -30, 10, -10, 0.3 matches 50-digit values (log normalizer 3.40, not 2.77)', async () => {
    const r = regressions.continuous_bernoulli_logits!;
    await expectNoLeaks(() => {
      const d = new ContinuousBernoulli({ logits: numbers(r.logits) });
      const tol = { rtol: 1e-5, atol: 1e-6 };
      const checks: [string, tf.Tensor][] = [
        ['log_normalizer', d.logNormalizer()],
        ['log_prob', d.logProb(numbers(r.x))],
        ['mean', d.mean()],
        ['variance', d.variance()],
        ['entropy', d.entropy()],
        ['cdf', d.cdf(numbers(r.x))],
        ['icdf', d.icdf(numbers(r.p))],
      ];
      for (const [field, actual] of checks) {
        try {
          expectClose(actual, numbers(r[field]), field === 'cdf' ? { rtol: 1e-4, atol: 0 } : tol);
        } catch (error) {
          throw new Error(`${field}: ${(error as Error).message}`);
        }
      }
      tf.dispose(checks.map(([, t]) => t));
      d.dispose();
    });
  });

  it('KL(Bernoulli || Bernoulli(logits 30)) is finite (was +Infinity) and matches torch', async () => {
    const make = (p: Record<string, tf.Tensor>) => new Bernoulli({ logits: p.logits! });
    const c = referenceKlCase('Bernoulli', 'Bernoulli', continuousReference());
    await checkKlCaseWith(c, { p: make, q: make, tolerance: { rtol: 1e-5, atol: 1e-6 } });
    // Exact probabilities of 0 and 1 still give +Infinity where p has the other outcome.
    const p = new Bernoulli({ probs: [0.5, 0.5, 0] });
    const q = new Bernoulli({ probs: [1, 0, 0] });
    const { klDivergence } = await import('../src/index.js');
    const kl = klDivergence(p, q);
    expect(Array.from(kl.dataSync())).toEqual([Infinity, Infinity, 0]);
    tf.dispose(kl);
    p.dispose();
    q.dispose();
  });

  it('KL(ContinuousBernoulli || ContinuousBernoulli) (50 digits) and KL(Beta || ContinuousBernoulli) (torch) at logits +-30', async () => {
    const reference = continuousReference();
    const cb = (p: Record<string, tf.Tensor>) => new ContinuousBernoulli({ logits: p.logits! });
    const beta = (p: Record<string, tf.Tensor>) =>
      new Beta({ concentration1: p.concentration1!, concentration0: p.concentration0! });
    const tolerance = { rtol: 1e-4, atol: 1e-5 };
    await checkKlCaseWith(
      referenceKlCase('ContinuousBernoulli', 'ContinuousBernoulli', reference),
      {
        p: cb,
        q: cb,
        tolerance,
      },
    );
    await checkKlCaseWith(referenceKlCase('Beta', 'ContinuousBernoulli', reference), {
      p: beta,
      q: cb,
      tolerance,
    });
  });
});

describe('Beta.rsample in log space (the gradient was -Infinity when X + Y < 3.7e-23)', () => {
  it('Beta(0.1, 0.1): 100,000 draws have finite values in (0, 1) and finite gradients', () => {
    const a = tf.tensor([0.1]);
    const b = tf.tensor([0.1]);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(new Beta({ concentration1: x, concentration0: y }).rsample([100000], 5)),
    )([a, b]);
    expect(Number.isFinite(ga!.dataSync()[0]!)).toBe(true);
    expect(Number.isFinite(gb!.dataSync()[0]!)).toBe(true);
    const x = new Beta({ concentration1: a, concentration0: b }).sample([100000], 5);
    const values = x.dataSync();
    expect(values.every((v) => v > 0 && v < 1)).toBe(true);
    tf.dispose([a, b, ga!, gb!, x]);
  });

  it('per-draw gradients average to d E[x] / da = b / (a + b)^2 (20000 draws, 5 standard errors)', () => {
    for (const [alpha, beta] of [
      [0.1, 0.1],
      [0.02, 0.05],
      [2, 3],
    ] as const) {
      const n = 20000;
      const a = tf.fill([n], alpha);
      const grad = tf.grad((x: tf.Tensor) =>
        tf.sum(new Beta({ concentration1: x, concentration0: beta }).rsample([], 9)),
      )(a);
      const g = Array.from(grad.dataSync());
      expect(g.every(Number.isFinite)).toBe(true);
      const mean = g.reduce((s, v) => s + v, 0) / n;
      const sd = Math.sqrt(g.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
      const expected = beta / (alpha + beta) ** 2;
      expect(Math.abs(mean - expected)).toBeLessThan(5 * (sd / Math.sqrt(n)) + 1e-3 * expected);
      tf.dispose([a, grad]);
    }
  });
});
