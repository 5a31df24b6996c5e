import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Beta, klDivergence } from '../src/index.js';
import { digamma } from '../src/internal/special.js';
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

const make = (p: Record<string, tf.Tensor>) =>
  new Beta({ concentration1: p.concentration1!, concentration0: p.concentration0! });

describe('Beta', () => {
  it('matches torch: log_prob, entropy, mean, variance', async () => {
    const checked = await checkReferenceCase(referenceCase('Beta'), make);
    expect(checked).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
  });

  it('matches torch: KL(Beta || Beta)', async () => {
    await checkKlCase(referenceKlCase('Beta', 'Beta'), make, make);
  });

  it('has KL(p, p) = 0, KL >= 0 and KL equal to its Monte Carlo estimate', async () => {
    await expectNoLeaks(() => {
      const p = new Beta({ concentration1: [0.7, 2, 5], concentration0: [0.9, 3, 1.5] });
      const q = new Beta({ concentration1: [1, 1.5, 2], concentration0: [2, 1, 4] });
      checkKlBasics(p, q);
      checkKlMonteCarlo(p, q, { atol: 1e-3 });
      p.dispose();
      q.dispose();
    });
  });

  it('samples in (0, 1) with the right moments, E[log X] and entropy', async () => {
    await expectNoLeaks(() => {
      const beta = new Beta({ concentration1: [0.3, 1, 2, 20], concentration0: [0.5, 1, 7, 4] });
      checkSampleMoments(beta);
      checkEntropyMonteCarlo(beta, { atol: 2e-3 });
      const x = beta.sample([20000], 4);
      const v = values(x);
      expect(Math.min(...v)).toBeGreaterThan(0);
      expect(Math.max(...v)).toBeLessThan(1);
      // E[log X] = digamma(a) - digamma(a + b)
      const meanLog = tf.tidy(() => values(tf.mean(tf.log(x), 0)));
      const expected = tf.tidy(() =>
        values(
          tf.sub(
            digamma(beta.concentration1),
            digamma(tf.add(beta.concentration1, beta.concentration0)),
          ),
        ),
      );
      expectClose(meanLog, expected, { rtol: 0, atol: 0.06 });
      x.dispose();
      beta.dispose();
    });
  });

  it('uses 0 log 0 = 0 at the ends of [0, 1] (a = 1 or b = 1) and Infinity for a < 1', () => {
    const beta = new Beta({ concentration1: [1, 0.5, 2], concentration0: [3, 1, 1] });
    const at0 = beta.logProb([0, 0, 0]);
    const at1 = beta.logProb([1, 1, 1]);
    // Beta(1, 3) has density 3 (1 - x)^2; Beta(0.5, 1) density x^-1/2 / 2; Beta(2, 1) density 2x.
    expectClose(at0, [Math.log(3), Infinity, -Infinity]);
    expectClose(at1, [-Infinity, Math.log(0.5), Math.log(2)]);
    tf.dispose([at0, at1]);
    beta.dispose();
  });

  it('has the mode of torch, including the ends for concentrations below 1', () => {
    const beta = new Beta({
      concentration1: [3, 0.5, 2, 0.5, 0.3],
      concentration0: [2, 2, 0.5, 0.4, 0.6],
    });
    const mode = beta.mode();
    expectClose(mode, [2 / 3, 0, 1, 1, 0]);
    mode.dispose();
    beta.dispose();
  });

  it('logProb gradients match finite differences', () => {
    const a0 = tf.tensor1d([0.8, 3]);
    const b0 = tf.tensor1d([2, 1.2]);
    const x = tf.tensor1d([0.3, 0.9]);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.tidy(
        () => tf.sum(new Beta({ concentration1: a, concentration0: b }).logProb(x)) as tf.Scalar,
      );
    const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a, b))([a0, b0]);
    expectClose(
      ga!,
      numericGradient((a) => f(a, b0), a0, 1e-3),
      { rtol: 3e-3, atol: 3e-3 },
    );
    expectClose(
      gb!,
      numericGradient((b) => f(a0, b), b0, 1e-3),
      { rtol: 3e-3, atol: 3e-3 },
    );
    tf.dispose([a0, b0, x, ga!, gb!]);
  });

  it('entropy gradients match finite differences (through digamma and trigamma)', () => {
    const a0 = tf.tensor1d([0.8, 3]);
    const f = (a: tf.Tensor) =>
      tf.tidy(
        () => tf.sum(new Beta({ concentration1: a, concentration0: 2 }).entropy()) as tf.Scalar,
      );
    const g = tf.grad(f)(a0);
    expectClose(g, numericGradient(f, a0, 1e-3), { rtol: 3e-3, atol: 3e-3 });
    tf.dispose([a0, g]);
  });

  it('rejects bad parameters and values with messages naming the class and argument', () => {
    expectVaeError(
      () => new Beta({ concentration1: [1, 0], concentration0: 1 }),
      'INVALID_ARGUMENT',
      /Beta: `concentration1` must be positive/,
    );
    expectVaeError(
      () => new Beta({ concentration1: 1, concentration0: Number.POSITIVE_INFINITY }),
      'INVALID_ARGUMENT',
      /Beta: `concentration0` must be positive/,
    );
    const beta = new Beta({ concentration1: 2, concentration0: 2 });
    expectVaeError(
      () => beta.logProb([0.5, 1.5]),
      'INVALID_ARGUMENT',
      /Beta\.logProb: `value` must be in \[0, 1\]/,
    );
    beta.dispose();
  });

  it('frees what it creates, and KL is batched', async () => {
    await expectNoLeaks(() => {
      const p = new Beta({ concentration1: [[1], [2]], concentration0: [1, 2, 3] });
      const q = new Beta({
        concentration1: 2,
        concentration0: [
          [1, 1, 1],
          [2, 2, 2],
        ],
      });
      const kl = klDivergence(p, q);
      expect(kl.shape).toEqual([2, 3]);
      tf.dispose([kl, p.sample([2], 1), p.entropy(), p.mean(), p.variance(), p.mode(), p.stddev()]);
      p.dispose();
      q.dispose();
    });
  });
});
