import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Beta, Dirichlet, klDivergence } from '../src/index.js';
import { expectVaeError, values } from './gamma-family-support.js';
import {
  checkEntropyMonteCarlo,
  checkKlBasics,
  checkKlMonteCarlo,
  checkSampleMoments,
} from './helpers/properties.js';
import {
  checkKlCase,
  checkReferenceCase,
  referenceCase,
  referenceKlCase,
} from './helpers/reference.js';

const make = (p: Record<string, tf.Tensor>) => new Dirichlet({ concentration: p.concentration! });

describe('Dirichlet', () => {
  it('matches torch: log_prob, entropy, mean, variance', async () => {
    const checked = await checkReferenceCase(referenceCase('Dirichlet'), make);
    expect(checked).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
  });

  it('matches torch: KL(Dirichlet || Dirichlet)', async () => {
    await checkKlCase(referenceKlCase('Dirichlet', 'Dirichlet'), make, make);
  });

  it('has batch shape [...batch] and event shape [K]', () => {
    const d = new Dirichlet({
      concentration: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
    expect(d.batchShape).toEqual([2]);
    expect(d.eventShape).toEqual([3]);
    const x = d.sample([5, 7], 3);
    expect(x.shape).toEqual([5, 7, 2, 3]);
    const logp = d.logProb(x);
    expect(logp.shape).toEqual([5, 7, 2]);
    tf.dispose([x, logp]);
    d.dispose();
  });

  it('has KL(p, p) = 0, KL >= 0 and KL equal to its Monte Carlo estimate', async () => {
    await expectNoLeaks(() => {
      const p = new Dirichlet({
        concentration: [
          [0.8, 2, 3],
          [5, 5, 1],
        ],
      });
      const q = new Dirichlet({
        concentration: [
          [1, 1, 1],
          [2, 6, 3],
        ],
      });
      checkKlBasics(p, q);
      checkKlMonteCarlo(p, q, { atol: 1e-3 });
      p.dispose();
      q.dispose();
    });
  });

  it('samples on the simplex with the right moments and entropy', async () => {
    await expectNoLeaks(() => {
      const d = new Dirichlet({
        concentration: [
          [0.3, 0.5, 1],
          [2, 7, 30],
        ],
      });
      checkSampleMoments(d);
      checkEntropyMonteCarlo(d, { atol: 2e-3 });
      const x = d.sample([1000], 8);
      const sums = tf.sum(x, -1);
      expectClose(sums, new Array(2000).fill(1), { atol: 1e-6 });
      expect(Math.min(...values(x))).toBeGreaterThan(0);
      tf.dispose([x, sums]);
      d.dispose();
    });
  });

  it('with K = 2 agrees with Beta on the first coordinate (logProb, entropy, KL)', () => {
    const d = new Dirichlet({
      concentration: [
        [2, 3],
        [0.5, 0.7],
      ],
    });
    const b = new Beta({ concentration1: [2, 0.5], concentration0: [3, 0.7] });
    const d2 = new Dirichlet({
      concentration: [
        [1, 1],
        [4, 2],
      ],
    });
    const b2 = new Beta({ concentration1: [1, 4], concentration0: [1, 2] });
    const logD = d.logProb([
      [0.3, 0.7],
      [0.9, 0.1],
    ]);
    const logB = b.logProb([0.3, 0.9]);
    expectClose(logD, logB, { atol: 1e-5 });
    const [hd, hb, kd, kb] = [d.entropy(), b.entropy(), klDivergence(d, d2), klDivergence(b, b2)];
    expectClose(hd, hb, { atol: 1e-5 });
    expectClose(kd, kb, { atol: 1e-5 });
    tf.dispose([logD, logB, hd, hb, kd, kb]);
    for (const x of [d, b, d2, b2]) x.dispose();
  });

  it('has the mode of torch, including a vertex when every concentration is below 1', () => {
    const d = new Dirichlet({
      concentration: [
        [2, 3, 5],
        [0.5, 0.9, 0.2],
        [0.5, 2, 3],
      ],
    });
    const mode = d.mode();
    expectClose(mode, [1 / 7, 2 / 7, 4 / 7, 0, 1, 0, 0, 1 / 3, 2 / 3]);
    mode.dispose();
    d.dispose();
  });

  it('logProb gradients match finite differences', () => {
    const alpha = tf.tensor1d([0.7, 2, 4]);
    const x = tf.tensor1d([0.2, 0.3, 0.5]);
    const f = (a: tf.Tensor) =>
      tf.tidy(() => tf.sum(new Dirichlet({ concentration: a }).logProb(x)) as tf.Scalar);
    const g = tf.grad(f)(alpha);
    expectClose(g, numericGradient(f, alpha, 1e-3), { rtol: 3e-3, atol: 3e-3 });
    tf.dispose([alpha, x, g]);
  });

  it('rejects bad parameters and values with messages naming the class and argument', () => {
    expectVaeError(
      () => new Dirichlet({ concentration: [1, -2, 3] }),
      'INVALID_ARGUMENT',
      /Dirichlet: `concentration` must be positive/,
    );
    expectVaeError(
      () => new Dirichlet({ concentration: 2 }),
      'INVALID_ARGUMENT',
      /Dirichlet: `concentration` must have at least 1 axis/,
    );
    const d = new Dirichlet({ concentration: [1, 1, 1] });
    expectVaeError(
      () => d.logProb([0.5, 0.5, 0.5]),
      'INVALID_ARGUMENT',
      /Dirichlet\.logProb: `value` must be on the probability simplex/,
    );
    d.dispose();
  });
});
