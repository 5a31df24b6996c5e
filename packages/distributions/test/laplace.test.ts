import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Exponential, klDivergence, Laplace, Normal, Uniform } from '../src/index.js';
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

const make = (p: Record<string, tf.Tensor>) => new Laplace({ loc: p.loc!, scale: p.scale! });
const normal = (p: Record<string, tf.Tensor>) => new Normal({ loc: p.loc!, scale: p.scale! });

describe('Laplace', () => {
  it('matches torch log_prob, mean, variance, entropy and cdf', async () => {
    const fields = await checkReferenceCase(referenceCase('Laplace'), make);
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy', 'cdf']);
  });

  it('matches torch KL for Laplace||Laplace, Laplace||Normal and Normal||Laplace', async () => {
    await checkKlCase(referenceKlCase('Laplace', 'Laplace'), make, make);
    await checkKlCase(referenceKlCase('Laplace', 'Normal'), make, normal);
    await checkKlCase(referenceKlCase('Normal', 'Laplace'), normal, make);
  });

  it('inverts its cdf', async () => {
    await expectNoLeaks(() => {
      const d = new Laplace({ loc: [0, 1], scale: [1, 3] });
      const x = tf.tensor([
        [-2, 4],
        [0.5, 1],
      ]);
      const cdf = d.cdf(x);
      const back = d.icdf(cdf);
      expectClose(back, x, { atol: 1e-4 });
      tf.dispose([x, cdf, back]);
      d.dispose();
    });
  });

  it('agrees with Monte Carlo: moments, entropy, KL to Laplace and Normal (20000 draws, 5 SE)', async () => {
    await expectNoLeaks(() => {
      const p = new Laplace({ loc: [0.5, -1], scale: [1, 0.4] });
      const q = new Laplace({ loc: [0, 0], scale: [2, 1] });
      const n = new Normal({ loc: [1, 0], scale: [1.5, 0.8] });
      checkSampleMoments(p, { n: 40000 });
      checkEntropyMonteCarlo(p);
      checkKlMonteCarlo(p, q);
      checkKlMonteCarlo(p, n);
      checkKlMonteCarlo(n, p);
      checkKlBasics(p, q);
      for (const d of [p, q, n]) d.dispose();
    });
  });

  it('gives +Infinity against Exponential and Uniform (support mismatch)', async () => {
    await expectNoLeaks(() => {
      const p = new Laplace({ loc: [0, 1], scale: 1 });
      const exponential = new Exponential({ rate: 1 });
      const uniform = new Uniform({ low: -10, high: 10 });
      const klExp = klDivergence(p, exponential);
      const klUniform = klDivergence(p, uniform);
      expectClose(klExp, [Infinity, Infinity]);
      expectClose(klUniform, [Infinity, Infinity]);
      tf.dispose([klExp, klUniform]);
      for (const d of [p, exponential, uniform]) d.dispose();
    });
  });

  it('rsample gradients agree with finite differences', () => {
    const loc = tf.tensor([0.3, -1]);
    const scale = tf.tensor([0.8, 2]);
    checkRsampleGradient((x) => new Laplace({ loc: x, scale }), loc);
    checkRsampleGradient((x) => new Laplace({ loc, scale: x }), scale);
    tf.dispose([loc, scale]);
  });

  it('rejects a non-positive scale', () => {
    expectVaeError(
      () => new Laplace({ loc: 0, scale: [0, 1] }),
      /^Laplace: `scale` must be positive/,
    );
  });
});
