import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Binomial, klDivergence, Poisson } from '../src/index.js';
import { expectVaeError, values } from './gamma-family-support.js';
import {
  checkEntropyMonteCarlo,
  checkKlBasics,
  checkKlMonteCarlo,
  checkSampleMoments,
  checkSeeds,
} from './helpers/properties.js';
import {
  checkKlCase,
  checkReferenceCase,
  checkReferenceGradients,
  checkReferenceMode,
  discreteCase,
  discreteKlCase,
} from './helpers/reference.js';

const fromProbs = (p: Record<string, tf.Tensor>) =>
  new Binomial({ totalCount: p.total_count!, probs: p.probs! });
const fromLogits = (p: Record<string, tf.Tensor>) =>
  new Binomial({ totalCount: p.total_count!, logits: p.logits! });

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log((n - k + i) / i);
  return sum;
}

function logPmf(n: number, p: number, k: number): number {
  return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

describe('Binomial', () => {
  it('matches torch: log_prob, mean, variance, entropy, mode and d log_prob / d probs', async () => {
    const c = discreteCase('Binomial');
    const tolerance = { rtol: 1e-4, atol: 3e-5 };
    const fields = await checkReferenceCase(c, fromProbs, { tolerance });
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
    expect(await checkReferenceMode(c, fromProbs)).toBe(true);
    expect(await checkReferenceGradients(c, fromProbs)).toEqual(['probs']);
  });

  it('matches torch from logits, and KL(Binomial || Binomial) with +Infinity where n_p > n_q', async () => {
    const c = discreteCase('BinomialLogits');
    const tolerance = { rtol: 1e-4, atol: 3e-5 };
    expect(await checkReferenceCase(c, fromLogits, { tolerance })).toHaveLength(4);
    expect(await checkReferenceMode(c, fromLogits)).toBe(true);
    expect(await checkReferenceGradients(c, fromLogits)).toEqual(['logits']);
    await checkKlCase(discreteKlCase('Binomial', 'Binomial'), fromProbs);
  });

  it('gives KL(Poisson || Binomial) = +Infinity (as torch)', async () => {
    await checkKlCase(
      discreteKlCase('Poisson', 'Binomial'),
      (p) => new Poisson({ rate: p.rate! }),
      fromProbs,
    );
  });

  it('sums the exact KL over k <= n_p where n_p < n_q (torch raises there)', async () => {
    await expectNoLeaks(() => {
      const p = new Binomial({ totalCount: [3, 6], probs: [0.4, 0.7] });
      const q = new Binomial({ totalCount: [7, 6], probs: [0.2, 0.5] });
      const kl = klDivergence(p, q);
      const direct = ([np, pp]: number[], [nq, qp]: number[]) => {
        let sum = 0;
        for (let k = 0; k <= np!; k++) {
          const lp = logPmf(np!, pp!, k);
          sum += Math.exp(lp) * (lp - logPmf(nq!, qp!, k));
        }
        return sum;
      };
      expectClose(kl, [direct([3, 0.4], [7, 0.2]), direct([6, 0.7], [6, 0.5])], {
        rtol: 1e-4,
        atol: 1e-5,
      });
      checkKlMonteCarlo(p, q);
      tf.dispose(kl);
      p.dispose();
      q.dispose();
    });
  });

  it('has analytic KL and entropy equal to their Monte Carlo estimates', async () => {
    await expectNoLeaks(() => {
      const p = new Binomial({ totalCount: [4, 15, 40], probs: [0.2, 0.5, 0.93] });
      const q = new Binomial({ totalCount: [4, 15, 40], logits: [0.5, -1, 1.5] });
      checkKlBasics(p, q);
      checkKlMonteCarlo(p, q);
      checkEntropyMonteCarlo(p);
      checkEntropyMonteCarlo(q);
      p.dispose();
      q.dispose();
    });
  });

  it('samples counts with the right moments (inversion and BTRS) and honours its seeds', async () => {
    await expectNoLeaks(() => {
      const d = new Binomial({
        totalCount: [0, 1, 10, 30, 200, 5000, 12],
        probs: [0.5, 0.3, 0.05, 0.5, 0.8, 0.01, 1],
      });
      checkSampleMoments(d, { atol: 1e-3 });
      checkSeeds(d);
      const x = d.sample([400], 5);
      const counts = [0, 1, 10, 30, 200, 5000, 12];
      values(x).forEach((k, i) => {
        expect(Number.isInteger(k) && k >= 0 && k <= counts[i % 7]!, `draw ${k}`).toBe(true);
      });
      tf.dispose(x);
      d.dispose();
    });
  });

  it('sample frequencies match the pmf (BTRS at n = 100, p = 0.3)', () => {
    const n = 40000;
    const d = new Binomial({ totalCount: 100, probs: 0.3 });
    const draws = values(d.sample([n], 11));
    const counts = new Map<number, number>();
    for (const k of draws) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (let k = 18; k <= 42; k++) {
      const expected = Math.exp(logPmf(100, 0.3, k));
      const observed = (counts.get(k) ?? 0) / n;
      const standardError = Math.sqrt((expected * (1 - expected)) / n);
      expect(Math.abs(observed - expected), `k = ${k}`).toBeLessThanOrEqual(
        5 * standardError + 1e-4,
      );
    }
    d.dispose();
  });

  it('rejects bad parameters and values, naming the argument', () => {
    expectVaeError(
      () => new Binomial({ totalCount: [2.5], probs: 0.5 }),
      'INVALID_ARGUMENT',
      /Binomial: `totalCount` must be a non-negative integer, got .*2\.5/,
    );
    expectVaeError(
      () => new Binomial({ totalCount: -1, probs: 0.5 }),
      'INVALID_ARGUMENT',
      /Binomial: `totalCount` must be a non-negative integer/,
    );
    expectVaeError(
      () => new Binomial({ totalCount: 3, probs: 1.5 }),
      'INVALID_ARGUMENT',
      /Binomial: `probs` must be in \[0, 1\]/,
    );
    expectVaeError(
      () => new Binomial({ totalCount: 3 } as never),
      'INVALID_ARGUMENT',
      /Binomial: pass exactly one of `probs` and `logits`/,
    );
    const d = new Binomial({ totalCount: [3, 5], probs: 0.5 });
    expectVaeError(
      () => d.logProb([4, 1]),
      'INVALID_ARGUMENT',
      /Binomial\.logProb: `value` must be an integer in \[0, totalCount\]/,
    );
    expectVaeError(() => d.rsample(), 'NOT_REPARAMETERIZABLE', /Binomial\.rsample/);
    expectVaeError(() => d.cdf([1, 1]), 'UNSUPPORTED', /Binomial\.cdf/);
    d.dispose();
  });
});
