import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Exponential, klDivergence, Normal, Uniform } from '../src/index.js';
import { expectVaeError } from './helpers/errors.js';
import {
  checkEntropyMonteCarlo,
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

const make = (p: Record<string, tf.Tensor>) => new Uniform({ low: p.low!, high: p.high! });
const normal = (p: Record<string, tf.Tensor>) => new Normal({ loc: p.loc!, scale: p.scale! });

describe('Uniform', () => {
  it('matches torch log_prob, mean, variance, entropy and cdf', async () => {
    const fields = await checkReferenceCase(referenceCase('Uniform'), make);
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy', 'cdf']);
  });

  it('matches torch KL for Uniform||Uniform (with +Infinity) and Uniform||Normal', async () => {
    await checkKlCase(referenceKlCase('Uniform', 'Uniform'), make, make);
    await checkKlCase(referenceKlCase('Uniform', 'Normal'), make, normal);
  });

  it('agrees with Monte Carlo: moments, entropy, KL to Normal and Exponential', async () => {
    await expectNoLeaks(() => {
      const p = new Uniform({ low: [0.5, 1], high: [2, 1.5] });
      checkSampleMoments(p);
      checkEntropyMonteCarlo(p);
      const normal = new Normal({ loc: [0, 2], scale: [1, 0.7] });
      const exponential = new Exponential({ rate: [0.5, 2] });
      checkKlMonteCarlo(p, normal);
      checkKlMonteCarlo(p, exponential);
      for (const d of [p, normal, exponential]) d.dispose();
    });
  });

  it('gives +Infinity where the support is not contained', async () => {
    await expectNoLeaks(() => {
      const p = new Uniform({ low: [-1, 0, 0.2], high: [1, 1, 0.5] });
      const q = new Uniform({ low: 0, high: 1 });
      const kl = klDivergence(p, q);
      expectClose(kl, [Infinity, 0, Math.log(1 / 0.3)]);
      const exponential = new Exponential({ rate: 1 });
      const normal = new Normal({ loc: 0, scale: 1 });
      const exp = klDivergence(p, exponential);
      expect(exp.dataSync()[0]).toBe(Infinity);
      const fromNormal = klDivergence(normal, q);
      expectClose(fromNormal, Infinity);
      tf.dispose([kl, exp, fromNormal]);
      for (const d of [p, q, exponential, normal]) d.dispose();
    });
  });

  it('logProb is -Infinity outside [low, high] without validation', async () => {
    await expectNoLeaks(() => {
      const d = new Uniform({ low: 0, high: 2, validateArgs: false });
      const lp = d.logProb([-1, 1, 3]);
      expectClose(lp, [-Infinity, -Math.LN2, -Infinity]);
      lp.dispose();
      d.dispose();
    });
  });

  it('rsample gradients agree with finite differences', () => {
    const low = tf.tensor([0.3, -1]);
    const high = tf.tensor([0.8, 2]);
    checkRsampleGradient((x) => new Uniform({ low: x, high }), low);
    checkRsampleGradient((x) => new Uniform({ low, high: x }), high);
    tf.dispose([low, high]);
  });

  it('rejects high <= low and values outside the support', () => {
    expectVaeError(
      () => new Uniform({ low: [0, 1], high: [1, 1] }),
      /^Uniform: `high` must be greater than `low`/,
    );
    const d = new Uniform({ low: 0, high: 1 });
    expectVaeError(() => d.logProb([2]), /Uniform.logProb: `value` must be in \[low, high\]/);
    d.dispose();
  });
});
