import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Gamma, klDivergence } from '../src/index.js';
import { digamma, lgamma } from '../src/internal/special.js';
import { expectVaeError, values } from './gamma-family-support.js';
import {
  checkEntropyMonteCarlo,
  checkKlBasics,
  checkKlMonteCarlo,
  checkSampleMoments,
  expectMonteCarloMean,
} from './helpers/properties.js';
import {
  checkKlCase,
  checkReferenceCase,
  referenceCase,
  referenceKlCase,
} from './helpers/reference.js';

const make = (p: Record<string, tf.Tensor>) =>
  new Gamma({ concentration: p.concentration!, rate: p.rate! });

describe('Gamma', () => {
  it('matches torch: log_prob, entropy, mean, variance', async () => {
    const checked = await checkReferenceCase(referenceCase('Gamma'), make);
    expect(checked).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
  });

  it('matches torch: KL(Gamma || Gamma)', async () => {
    await checkKlCase(referenceKlCase('Gamma', 'Gamma'), make, make);
  });

  it('has KL(p, p) = 0, KL >= 0 and KL equal to its Monte Carlo estimate', async () => {
    await expectNoLeaks(() => {
      const p = new Gamma({ concentration: [0.6, 2, 7.5], rate: [1, 0.5, 3] });
      const q = new Gamma({ concentration: [1.5, 1, 5], rate: [2, 0.3, 2] });
      checkKlBasics(p, q);
      checkKlMonteCarlo(p, q);
      p.dispose();
      q.dispose();
    });
  });

  it('samples with the right mean, variance, E[log X] and entropy, for small and large shapes', async () => {
    await expectNoLeaks(() => {
      const gamma = new Gamma({ concentration: [0.1, 0.7, 1, 3.3, 60], rate: [1, 2, 0.5, 1, 4] });
      checkSampleMoments(gamma);
      checkEntropyMonteCarlo(gamma, { atol: 1e-3 });
      // E[log X] = digamma(alpha) - log(rate) pins down the small-alpha (boosted) branch.
      const x = gamma.sample([20000], 9);
      const logX = tf.log(x);
      const expected = tf.tidy(() => tf.sub(digamma(gamma.concentration), tf.log(gamma.rate)));
      expectMonteCarloMean(logX, expected, { atol: 1e-3 });
      expect(Math.min(...values(x))).toBeGreaterThan(0);
      tf.dispose([x, logX, expected]);
      gamma.dispose();
    });
  });

  it('sample is repeatable with a seed, has the extended shape and no gradient', () => {
    const concentration = tf.tensor1d([0.5, 2]);
    const gamma = new Gamma({ concentration, rate: 1 });
    const a = gamma.sample([3, 4], 5);
    const b = gamma.sample([3, 4], 5);
    expect(a.shape).toEqual([3, 4, 2]);
    expectClose(a, b, { rtol: 0, atol: 0 });
    // sample() blocks gradients: the draw is divided by `rate` on the tape, then stopped.
    const grad = tf.grad((r: tf.Tensor) =>
      tf.sum(new Gamma({ concentration, rate: r }).sample([2], 1)),
    )(concentration);
    expectClose(grad, [0, 0], { atol: 0 });
    expect(gamma.hasRsample).toBe(true);
    tf.dispose([a, b, grad, concentration]);
    gamma.dispose();
  });

  it('logProb at 0: +Infinity for alpha < 1, log(rate) for alpha = 1, -Infinity for alpha > 1', () => {
    const gamma = new Gamma({ concentration: [0.5, 1, 2], rate: 3 });
    const logp = gamma.logProb(0);
    expectClose(logp, [Infinity, Math.log(3), -Infinity]);
    tf.dispose([logp]);
    gamma.dispose();
  });

  it('has mode (alpha - 1) / rate clamped at 0, and broadcasts parameters', () => {
    const gamma = new Gamma({ concentration: [[0.5], [3]], rate: [1, 2] });
    expect(gamma.batchShape).toEqual([2, 2]);
    const mode = gamma.mode();
    expectClose(mode, [0, 0, 2, 1]);
    mode.dispose();
    gamma.dispose();
  });

  it('logProb has gradients matching finite differences in concentration, rate and value', () => {
    const x = tf.tensor1d([0.4, 2.5]);
    const c0 = tf.tensor1d([0.8, 3]);
    const r0 = tf.tensor1d([1.5, 0.7]);
    const f = (c: tf.Tensor, r: tf.Tensor, v: tf.Tensor) =>
      tf.tidy(() => tf.sum(new Gamma({ concentration: c, rate: r }).logProb(v)) as tf.Scalar);
    const [gc, gr, gx] = tf.grads((c: tf.Tensor, r: tf.Tensor, v: tf.Tensor) => f(c, r, v))([
      c0,
      r0,
      x,
    ]);
    expectClose(
      gc!,
      numericGradient((c) => f(c, r0, x), c0, 1e-3),
      { rtol: 2e-3, atol: 2e-3 },
    );
    expectClose(
      gr!,
      numericGradient((r) => f(c0, r, x), r0, 1e-3),
      { rtol: 2e-3, atol: 2e-3 },
    );
    expectClose(
      gx!,
      numericGradient((v) => f(c0, r0, v), x, 1e-3),
      { rtol: 2e-3, atol: 2e-3 },
    );
    // d/dalpha log p = log(rate) + log(x) - digamma(alpha), exactly.
    const exact = tf.tidy(() => tf.sub(tf.add(tf.log(r0), tf.log(x)), digamma(c0)));
    expectClose(gc!, exact, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([x, c0, r0, gc!, gr!, gx!, exact]);
  });

  it('rejects bad parameters and values with messages naming the class and argument', () => {
    expectVaeError(
      () => new Gamma({ concentration: [1, -0.5], rate: 1 }),
      'INVALID_ARGUMENT',
      /Gamma: `concentration` must be positive/,
      /min -0\.5/,
    );
    expectVaeError(
      () => new Gamma({ concentration: 1, rate: Number.NaN }),
      'INVALID_ARGUMENT',
      /Gamma: `rate`/,
    );
    expectVaeError(
      () => new Gamma({ concentration: [1, 2], rate: [1, 2, 3] }),
      'INVALID_ARGUMENT',
      /Gamma: parameter shapes do not broadcast/,
    );
    const gamma = new Gamma({ concentration: 2, rate: 1 });
    expectVaeError(
      () => gamma.logProb([-1]),
      'INVALID_ARGUMENT',
      /Gamma\.logProb: `value` must be non-negative/,
    );
    gamma.dispose();
    // validateArgs: false skips the checks (the hot path of a training step).
    const unchecked = new Gamma({ concentration: -1, rate: 1, validateArgs: false });
    unchecked.dispose();
  });

  it('frees what it creates and never the caller tensors', async () => {
    const concentration = tf.tensor1d([2, 3]);
    await expectNoLeaks(() => {
      const gamma = new Gamma({ concentration, rate: 2 });
      tf.dispose([
        gamma.sample([4], 1),
        gamma.logProb([1, 2]),
        gamma.entropy(),
        gamma.mean(),
        gamma.variance(),
        gamma.mode(),
        gamma.stddev(),
      ]);
      gamma.dispose();
    });
    expect(concentration.isDisposed).toBe(false);
    const check = lgamma(concentration);
    expectClose(check, [0, Math.log(2)], { atol: 2e-6 });
    tf.dispose([concentration, check]);
  });
});

describe('klDivergence with Gamma', () => {
  it('is batched like the broadcast parameters', () => {
    const ones = tf.ones([2, 3]);
    const p = new Gamma({ concentration: [[1], [2]], rate: [1, 2, 3] });
    const q = new Gamma({ concentration: ones, rate: 1 });
    expect(p.batchShape).toEqual([2, 3]);
    const kl = klDivergence(p, q);
    expect(kl.shape).toEqual([2, 3]);
    tf.dispose([kl, ones]);
    p.dispose();
    q.dispose();
  });
});
