import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Exponential, Gumbel, klDivergence, Normal, Uniform } from '../src/index.js';
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

const make = (p: Record<string, tf.Tensor>) => new Gumbel({ loc: p.loc!, scale: p.scale! });
const normal = (p: Record<string, tf.Tensor>) => new Normal({ loc: p.loc!, scale: p.scale! });

describe('Gumbel', () => {
  it('matches torch log_prob, mean, variance, entropy and cdf', async () => {
    const fields = await checkReferenceCase(referenceCase('Gumbel'), make);
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy', 'cdf']);
  });

  it('matches torch KL for Gumbel||Gumbel and Normal||Gumbel', async () => {
    await checkKlCase(referenceKlCase('Gumbel', 'Gumbel'), make, make);
    await checkKlCase(referenceKlCase('Normal', 'Gumbel'), normal, make);
  });

  it('agrees with Monte Carlo: moments, entropy, KL from Gumbel, Uniform, Exponential', async () => {
    await expectNoLeaks(() => {
      const p = new Gumbel({ loc: [0.5, -1], scale: [1, 0.4] });
      const q = new Gumbel({ loc: [0, 0], scale: [2, 1] });
      const uniform = new Uniform({ low: [0, -1], high: [1, 2] });
      const exponential = new Exponential({ rate: [0.5, 2] });
      checkSampleMoments(p, { n: 40000 });
      checkEntropyMonteCarlo(p);
      checkKlMonteCarlo(p, q);
      checkKlMonteCarlo(uniform, q);
      checkKlMonteCarlo(exponential, q);
      checkKlBasics(p, q);
      const inf = klDivergence(p, uniform);
      expectClose(inf, [Infinity, Infinity]);
      inf.dispose();
      for (const d of [p, q, uniform, exponential]) d.dispose();
    });
  });

  it('icdf inverts cdf; rsample gradients agree with finite differences', async () => {
    await expectNoLeaks(() => {
      const d = new Gumbel({ loc: [0, 1], scale: [1, 2] });
      const cdf = d.cdf([[-1, 3]]);
      const back = d.icdf(cdf);
      expectClose(back, [-1, 3], { atol: 1e-4 });
      tf.dispose([cdf, back]);
      d.dispose();
    });
    const loc = tf.tensor([0.3, -1]);
    const scale = tf.tensor([0.8, 2]);
    checkRsampleGradient((x) => new Gumbel({ loc: x, scale }), loc);
    checkRsampleGradient((x) => new Gumbel({ loc, scale: x }), scale);
    tf.dispose([loc, scale]);
  });

  it('rejects bad parameters', () => {
    expectVaeError(
      () => new Gumbel({ loc: [0, Number.POSITIVE_INFINITY], scale: 1 }),
      /^Gumbel: `loc` must be finite/,
    );
  });
});
