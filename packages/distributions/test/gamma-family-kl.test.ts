import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Beta,
  ContinuousBernoulli,
  type Distribution,
  Exponential,
  Gamma,
  Gumbel,
  klDivergence,
  Laplace,
  Normal,
  Uniform,
} from '../src/index.js';
import { checkKlMonteCarlo } from './helpers/properties.js';
import { checkKlCase, referenceKlCase } from './helpers/reference.js';

const makeGamma = (p: Record<string, tf.Tensor>) =>
  new Gamma({ concentration: p.concentration!, rate: p.rate! });
const makeExponential = (p: Record<string, tf.Tensor>) => new Exponential({ rate: p.rate! });
const makeBeta = (p: Record<string, tf.Tensor>) =>
  new Beta({ concentration1: p.concentration1!, concentration0: p.concentration0! });
const makeContinuousBernoulli = (p: Record<string, tf.Tensor>) =>
  new ContinuousBernoulli({ probs: p.probs! });

function disposeAll(...ds: Distribution[]): void {
  for (const d of ds) d.dispose();
}

describe('cross-family KL against torch', () => {
  it('KL(Exponential || Gamma)', async () => {
    await checkKlCase(referenceKlCase('Exponential', 'Gamma'), makeExponential, makeGamma);
  });

  it('KL(Gamma || Exponential)', async () => {
    await checkKlCase(referenceKlCase('Gamma', 'Exponential'), makeGamma, makeExponential);
  });

  it('KL(Beta || ContinuousBernoulli)', async () => {
    await checkKlCase(
      referenceKlCase('Beta', 'ContinuousBernoulli'),
      makeBeta,
      makeContinuousBernoulli,
    );
  });
});

describe('cross-family KL against Monte Carlo (20000 draws, 5 standard errors)', () => {
  const gamma = () => new Gamma({ concentration: [0.8, 2.5, 6], rate: [1.5, 1, 3] });
  const beta = () => new Beta({ concentration1: [0.9, 2, 5], concentration0: [1.2, 3, 2] });
  const cases: [string, () => Distribution, () => Distribution][] = [
    ['Exponential || Gamma', () => new Exponential({ rate: [0.5, 1, 4] }), gamma],
    ['Gamma || Exponential', gamma, () => new Exponential({ rate: [0.5, 1, 4] })],
    ['Gamma || Normal', gamma, () => new Normal({ loc: [0, 2, 1], scale: [1, 2, 0.5] })],
    ['Gamma || Gumbel', gamma, () => new Gumbel({ loc: [0, 2, 1], scale: [1, 2, 0.5] })],
    ['Uniform || Gamma', () => new Uniform({ low: [0, 0.5, 1], high: [1, 3, 1.5] }), gamma],
    [
      'Beta || ContinuousBernoulli',
      beta,
      () => new ContinuousBernoulli({ probs: [0.2, 0.5, 0.9] }),
    ],
    ['Beta || Exponential', beta, () => new Exponential({ rate: [0.5, 1, 4] })],
    ['Beta || Gamma', beta, gamma],
    ['Beta || Normal', beta, () => new Normal({ loc: [0, 2, 1], scale: [1, 2, 0.5] })],
    ['Beta || Uniform', beta, () => new Uniform({ low: [-1, 0, -0.5], high: [1, 1, 3] })],
    ['Uniform || Beta', () => new Uniform({ low: [0, 0.2, 0.5], high: [1, 0.7, 0.99] }), beta],
  ];
  for (const [name, makeP, makeQ] of cases) {
    it(`KL(${name}) agrees with Monte Carlo and is >= 0`, async () => {
      await expectNoLeaks(() => {
        const p = makeP();
        const q = makeQ();
        checkKlMonteCarlo(p, q, { atol: 2e-3 });
        const kl = klDivergence(p, q);
        for (const value of kl.dataSync()) expect(value).toBeGreaterThanOrEqual(-1e-5);
        kl.dispose();
        disposeAll(p, q);
      });
    });
  }
});

describe('support mismatches give +Infinity', () => {
  it('where p has mass outside the support of q', () => {
    const gamma = new Gamma({ concentration: [1, 2], rate: 1 });
    const beta = new Beta({ concentration1: [1, 2], concentration0: 1 });
    const normal = new Normal({ loc: [0, 1], scale: 1 });
    const laplace = new Laplace({ loc: [0, 1], scale: 1 });
    const gumbel = new Gumbel({ loc: [0, 1], scale: 1 });
    const exponential = new Exponential({ rate: [1, 2] });
    const unit = new Uniform({ low: [0, 0], high: [1, 1] });
    const pairs: [Distribution, Distribution][] = [
      [normal, gamma],
      [laplace, gamma],
      [gumbel, gamma],
      [gamma, unit],
      [normal, beta],
      [laplace, beta],
      [gumbel, beta],
      [exponential, beta],
      [gamma, beta],
    ];
    for (const [p, q] of pairs) {
      const kl = klDivergence(p, q);
      expectClose(kl, [Infinity, Infinity]);
      kl.dispose();
    }
    disposeAll(gamma, beta, normal, laplace, gumbel, exponential, unit);
  });

  it('per batch member for Uniform || Gamma, Beta || Uniform and Uniform || Beta', () => {
    const uniform = new Uniform({ low: [-0.5, 0.2], high: [0.5, 0.8] });
    const gamma = new Gamma({ concentration: 2, rate: 1 });
    const beta = new Beta({ concentration1: 2, concentration0: 3 });
    const narrow = new Uniform({ low: [0, 0.1], high: [1, 1] });
    const a = klDivergence(uniform, gamma);
    const b = klDivergence(beta, narrow);
    const straddling = new Uniform({ low: [0.1, -0.1], high: [0.9, 0.5] });
    const c = klDivergence(straddling, beta);
    expect(a.dataSync()[0]).toBe(Infinity);
    expect(Number.isFinite(a.dataSync()[1]!)).toBe(true);
    expect(Number.isFinite(b.dataSync()[0]!)).toBe(true);
    expect(b.dataSync()[1]).toBe(Infinity);
    expect(Number.isFinite(c.dataSync()[0]!)).toBe(true);
    expect(c.dataSync()[1]).toBe(Infinity);
    tf.dispose([a, b, c]);
    disposeAll(uniform, gamma, beta, narrow, straddling);
  });
});

describe('cross-family KL gradients', () => {
  it('KL(Beta || Gamma) is differentiable in every parameter (finite differences)', () => {
    const a0 = tf.tensor1d([0.9, 3]);
    const c0 = tf.tensor1d([2, 0.7]);
    const f = (a: tf.Tensor, c: tf.Tensor) =>
      tf.tidy(() => {
        const p = new Beta({ concentration1: a, concentration0: 2 });
        const q = new Gamma({ concentration: c, rate: 1.5 });
        return tf.sum(klDivergence(p, q)) as tf.Scalar;
      });
    const [ga, gc] = tf.grads((a: tf.Tensor, c: tf.Tensor) => f(a, c))([a0, c0]);
    expectClose(
      ga!,
      numericGradient((a) => f(a, c0), a0, 1e-3),
      { rtol: 3e-3, atol: 3e-3 },
    );
    expectClose(
      gc!,
      numericGradient((c) => f(a0, c), c0, 1e-3),
      { rtol: 3e-3, atol: 3e-3 },
    );
    tf.dispose([a0, c0, ga!, gc!]);
  });
});
