import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { ContinuousBernoulli } from '../src/index.js';
import { expectVaeError } from './helpers/errors.js';
import {
  checkEntropyMonteCarlo,
  checkKlBasics,
  checkKlMonteCarlo,
  checkRsampleGradient,
  checkSampleMoments,
} from './helpers/properties.js';
import {
  checkKlCase,
  checkReferenceCase,
  referenceCase,
  referenceKlCase,
} from './helpers/reference.js';

const make = (p: Record<string, tf.Tensor>) => new ContinuousBernoulli({ probs: p.probs! });

describe('ContinuousBernoulli', () => {
  it('matches torch log_prob, mean, variance, entropy and cdf', async () => {
    const fields = await checkReferenceCase(referenceCase('ContinuousBernoulli'), make);
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy', 'cdf']);
  });

  it('matches torch KL(ContinuousBernoulli || ContinuousBernoulli)', async () => {
    await checkKlCase(referenceKlCase('ContinuousBernoulli', 'ContinuousBernoulli'), make, make);
  });

  it('is continuous across the Taylor region around probs = 1/2', async () => {
    await expectNoLeaks(() => {
      // Just inside and just outside (0.499, 0.501] the two forms must agree closely.
      const inside = new ContinuousBernoulli({ probs: [0.4995, 0.5, 0.5005] });
      const outside = new ContinuousBernoulli({ probs: [0.498, 0.502] });
      const logNorm = inside.logNormalizer();
      // log C(λ) is 2-periodic-free and smooth: log 2 + 4/3 (λ - 1/2)^2 + ...
      expectClose(
        logNorm,
        [Math.LN2 + (4 / 3) * 0.0005 ** 2, Math.LN2, Math.LN2 + (4 / 3) * 0.0005 ** 2],
        { atol: 1e-6 },
      );
      const outsideNorm = outside.logNormalizer();
      expectClose(outsideNorm, [Math.LN2 + (4 / 3) * 0.002 ** 2, Math.LN2 + (4 / 3) * 0.002 ** 2], {
        atol: 2e-5,
      });
      const mean = inside.mean;
      expectClose(mean, [0.5 - 0.0005 / 3, 0.5, 0.5 + 0.0005 / 3], { atol: 1e-6 });
      const variance = inside.variance;
      expectClose(variance, [1 / 12, 1 / 12, 1 / 12], { atol: 1e-6 });
      tf.dispose([logNorm, outsideNorm, mean, variance]);
      inside.dispose();
      outside.dispose();
    });
  });

  it('samples, entropy and KL agree with Monte Carlo (20000 draws, 5 standard errors)', async () => {
    await expectNoLeaks(() => {
      const p = new ContinuousBernoulli({ probs: [0.1, 0.5, 0.8] });
      const q = new ContinuousBernoulli({ logits: [0.3, -1, 2] });
      checkSampleMoments(p);
      checkEntropyMonteCarlo(p);
      checkKlMonteCarlo(p, q);
      checkKlBasics(p, q);
      p.dispose();
      q.dispose();
    });
  });

  it('rsample (icdf of uniforms) has finite-difference gradients', () => {
    const probs = tf.tensor([0.2, 0.7]);
    checkRsampleGradient((x) => new ContinuousBernoulli({ probs: x }), probs, { step: 1e-3 });
    const logits = tf.tensor([-1.5, 0.8]);
    checkRsampleGradient((x) => new ContinuousBernoulli({ logits: x }), logits, { step: 1e-3 });
    tf.dispose([probs, logits]);
  });

  it('logProb gradient matches finite differences and stays finite at extreme logits', () => {
    const x = tf.tensor([0.1, 0.9, 0.5, 0.3, 0.7]);
    const f = (l: tf.Tensor) =>
      tf.sum(new ContinuousBernoulli({ logits: l }).logProb(x)) as tf.Scalar;
    const moderate = tf.tensor([-2, 1, 0.5, 3, -0.7]);
    const grad = tf.grad(f)(moderate);
    expectClose(grad, numericGradient(f, moderate, 1e-2), { rtol: 1e-2, atol: 1e-3 });
    const extreme = tf.tensor([50, -50, 1e4, -1e4, 0]);
    const lp = tf.tidy(() => f(extreme));
    const extremeGrad = tf.grad(f)(extreme);
    expect(Number.isFinite(lp.dataSync()[0]!)).toBe(true);
    for (const g of extremeGrad.dataSync()) expect(Number.isFinite(g)).toBe(true);
    tf.dispose([x, moderate, grad, extreme, lp, extremeGrad]);
  });

  it('rejects bad parameters and values outside [0, 1]', async () => {
    await expectNoLeaks(() => {
      expectVaeError(
        () => new ContinuousBernoulli({ probs: [-0.1] }),
        /^ContinuousBernoulli: `probs` must be in \[0, 1\]/,
      );
      const d = new ContinuousBernoulli({ probs: 0.3 });
      expectVaeError(
        () => d.logProb([1.5]),
        /ContinuousBernoulli.logProb: `value` must be in \[0, 1\], got .*max 1.5/,
      );
      d.dispose();
    });
  });
});
