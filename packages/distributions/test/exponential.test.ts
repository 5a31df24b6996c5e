import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Exponential, klDivergence, Normal, Uniform } from '../src/index.js';
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

const make = (p: Record<string, tf.Tensor>) => new Exponential({ rate: p.rate! });

describe('Exponential', () => {
  it('matches torch log_prob, mean, variance, entropy and cdf', async () => {
    const fields = await checkReferenceCase(referenceCase('Exponential'), make);
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy', 'cdf']);
  });

  it('matches torch KL(Exponential || Exponential)', async () => {
    await checkKlCase(referenceKlCase('Exponential', 'Exponential'), make, make);
  });

  it('agrees with Monte Carlo: moments, entropy, KL to Exponential and Normal', async () => {
    await expectNoLeaks(() => {
      const p = new Exponential({ rate: [0.5, 3] });
      const q = new Exponential({ rate: [1, 1] });
      const n = new Normal({ loc: [1, 0], scale: [2, 1] });
      checkSampleMoments(p, { n: 40000 });
      checkEntropyMonteCarlo(p);
      checkKlMonteCarlo(p, q);
      checkKlMonteCarlo(p, n);
      checkKlBasics(p, q);
      for (const d of [p, q, n]) d.dispose();
    });
  });

  it('gives +Infinity for Normal||Exponential and Exponential||Uniform', async () => {
    await expectNoLeaks(() => {
      const normal = new Normal({ loc: 0, scale: 1 });
      const exponential = new Exponential({ rate: 1 });
      const uniform = new Uniform({ low: 0, high: 100 });
      const a = klDivergence(normal, exponential);
      const b = klDivergence(exponential, uniform);
      expectClose(a, Infinity);
      expectClose(b, Infinity);
      tf.dispose([a, b]);
      for (const d of [normal, exponential, uniform]) d.dispose();
    });
  });

  it('icdf inverts cdf; rsample gradients agree with finite differences', async () => {
    await expectNoLeaks(() => {
      const d = new Exponential({ rate: [0.5, 2] });
      const cdf = d.cdf([[0.3, 2]]);
      const back = d.icdf(cdf);
      expectClose(back, [0.3, 2], { rtol: 1e-3 });
      tf.dispose([cdf, back]);
      d.dispose();
    });
    const rate = tf.tensor([0.7, 2.5]);
    checkRsampleGradient((x) => new Exponential({ rate: x }), rate);
    rate.dispose();
  });

  it('rejects bad rates and negative values', () => {
    expectVaeError(
      () => new Exponential({ rate: [1, -2] }),
      /^Exponential: `rate` must be positive and finite, got .*min -2/,
    );
    const d = new Exponential({ rate: 1 });
    expectVaeError(() => d.logProb([-0.5]), /Exponential.logProb: `value` must be non-negative/);
    d.dispose();
  });
});
