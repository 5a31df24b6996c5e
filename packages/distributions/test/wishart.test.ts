import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { klDivergence, Wishart } from '../src/index.js';
import { expectVaeError, values } from './gamma-family-support.js';
import {
  checkEntropyMonteCarlo,
  checkKlBasics,
  checkKlMonteCarlo,
  checkRsampleGradient,
  checkSampleMoments,
  checkSeeds,
} from './helpers/properties.js';
import {
  checkKlCaseWith,
  checkReferenceCase,
  checkReferenceGradients,
  checkReferenceMode,
  discreteCase,
  discreteKlCase,
} from './helpers/reference.js';

const wishart = (p: Record<string, tf.Tensor>) =>
  new Wishart({ df: p.df!, scaleTril: p.scale_tril! });

const covariance = [
  [2, 0.6, -0.3],
  [0.6, 1, 0.2],
  [-0.3, 0.2, 0.5],
];

describe('Wishart', () => {
  it('matches torch: log_prob, mean, variance, entropy, mode and gradients in df and scaleTril', async () => {
    const c = discreteCase('Wishart');
    const tolerance = { rtol: 1e-4, atol: 1e-4 };
    const fields = await checkReferenceCase(c, wishart, { tolerance });
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
    expect(await checkReferenceMode(c, wishart, { rtol: 1e-4, atol: 1e-5 })).toBe(true);
    const names = await checkReferenceGradients(c, wishart, { rtol: 2e-3, atol: 5e-4 });
    expect(names).toEqual(['df', 'scale_tril']);
  });

  it('matches torch KL(Wishart || Wishart), computed per batch member (the batched torch 1.13 call mixes the batch)', async () => {
    await checkKlCaseWith(discreteKlCase('Wishart', 'Wishart'), {
      p: wishart,
      q: wishart,
      tolerance: { rtol: 2e-4, atol: 1e-4 },
    });
  });

  it('gives the same density from covarianceMatrix, precisionMatrix and scaleTril', async () => {
    await expectNoLeaks(() => {
      const fromCovariance = new Wishart({ df: 4.5, covarianceMatrix: covariance });
      const precision = fromCovariance.precisionMatrix();
      const tril = fromCovariance.scaleTril.clone();
      const fromPrecision = new Wishart({ df: 4.5, precisionMatrix: precision });
      const fromTril = new Wishart({ df: 4.5, scaleTril: tril });
      const x = fromCovariance.sample([5], 3);
      const logps = [fromCovariance, fromPrecision, fromTril].map((d) => d.logProb(x));
      expectClose(logps[1]!, logps[0]!, { rtol: 1e-4, atol: 1e-4 });
      expectClose(logps[2]!, logps[0]!, { rtol: 1e-4, atol: 1e-4 });
      const sigma = fromPrecision.covarianceMatrix();
      expectClose(sigma, covariance.flat(), { rtol: 1e-4, atol: 1e-5 });
      for (const d of [fromCovariance, fromPrecision, fromTril]) d.dispose();
      return [precision, tril, x, sigma, ...logps];
    });
  });

  it('has analytic KL and entropy equal to their Monte Carlo estimates and samples with the right moments', async () => {
    await expectNoLeaks(() => {
      const p = new Wishart({ df: [4, 7], covarianceMatrix: covariance });
      const q = new Wishart({
        df: [5, 3.5],
        scaleTril: [
          [
            [1, 0, 0],
            [0.5, 1.2, 0],
            [0, -0.4, 0.8],
          ],
        ],
      });
      checkKlBasics(p, q, 2e-5);
      checkKlMonteCarlo(p, q, { n: 8000, atol: 1e-3 });
      checkEntropyMonteCarlo(p, { n: 8000, atol: 1e-3 });
      checkSampleMoments(p, { n: 20000, atol: 1e-3 });
      checkSeeds(p, { reparameterized: true, sampleShape: [5] });
      const x = p.sample([50], 1);
      const logp = p.logProb(x); // validates every draw as symmetric positive definite
      expect(values(logp).every(Number.isFinite)).toBe(true);
      tf.dispose([x, logp]);
      p.dispose();
      q.dispose();
    });
  });

  it('rsample is differentiable: scaleTril by finite differences, df in expectation (d E[X] / d df = Sigma)', () => {
    const df = tf.tensor1d([4.5]);
    const tril = tf.tensor3d([
      [
        [1.2, 0, 0],
        [0.3, 0.9, 0],
        [-0.2, 0.4, 0.7],
      ],
    ]);
    checkRsampleGradient((l) => new Wishart({ df, scaleTril: l, validateArgs: false }), tril, {
      rtol: 2e-3,
      atol: 2e-3,
    });
    // Per seed, the mean over 2000 draws of d sum(w * X) / d df; across 8 seeds, mean and SE.
    const weights = tf.tensor2d([
      [1, 0.5, -0.2],
      [0.5, 2, 0.3],
      [-0.2, 0.3, 1],
    ]);
    const estimates = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
      const g = tf.grad((nu: tf.Tensor) =>
        tf.tidy(() => {
          const d = new Wishart({ df: nu, scaleTril: tril, validateArgs: false });
          return tf.mean(
            tf.sum(tf.mul(d.rsample([2000], seed), weights), [-3, -2, -1]),
          ) as tf.Scalar;
        }),
      )(df);
      const value = g.dataSync()[0]!;
      g.dispose();
      return value;
    });
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const sd = Math.sqrt(
      estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimates.length - 1),
    );
    const sigma = tf.tidy(() => tf.matMul(tril, tril, false, true));
    const expected = tf.tidy(() => tf.sum(tf.mul(sigma, weights)).dataSync()[0]!);
    expect(Math.abs(mean - expected)).toBeLessThanOrEqual(5 * (sd / Math.sqrt(8)) + 1e-3);
    tf.dispose([df, tril, weights, sigma]);
  });

  it('rejects bad df, a missing or doubled scale, and values that are not positive definite', () => {
    expectVaeError(
      () => new Wishart({ df: [3, 1.5], covarianceMatrix: covariance }),
      'INVALID_ARGUMENT',
      /Wishart: `df` must be greater than p - 1 = 2, got .*first 1\.5/,
    );
    expectVaeError(
      () => new Wishart({ df: 4, covarianceMatrix: covariance, scaleTril: covariance }),
      'INVALID_ARGUMENT',
      /Wishart: give exactly one of `scaleTril`, `covarianceMatrix` or `precisionMatrix`, got scaleTril, covarianceMatrix/,
    );
    expectVaeError(
      () => new Wishart({ df: 4, scaleTril: covariance }),
      'INVALID_ARGUMENT',
      /Wishart: `scaleTril` must be lower triangular with a positive diagonal/,
    );
    expectVaeError(
      () =>
        new Wishart({
          df: 4,
          covarianceMatrix: [
            [1, 2],
            [2, 1],
          ],
        }),
      'INVALID_ARGUMENT',
      /Wishart: `covarianceMatrix` must be symmetric positive definite/,
    );
    const d = new Wishart({
      df: 4,
      covarianceMatrix: [
        [1, 0],
        [0, 1],
      ],
    });
    expectVaeError(
      () =>
        d.logProb([
          [1, 0.5],
          [0.4, 1],
        ]),
      'INVALID_ARGUMENT',
      /Wishart\.logProb: `value` must be symmetric positive definite/,
    );
    expectVaeError(
      () =>
        d.cdf([
          [1, 0],
          [0, 1],
        ]),
      'UNSUPPORTED',
      /Wishart\.cdf/,
    );
    const kl = klDivergence(d, d);
    expectClose(kl, [0], { atol: 1e-5 });
    kl.dispose();
    d.dispose();
  });
});
