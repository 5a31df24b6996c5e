import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { LogNormal } from '../src/index.js';
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

const make = (p: Record<string, tf.Tensor>) => new LogNormal({ loc: p.loc!, scale: p.scale! });

describe('LogNormal', () => {
  it('matches torch log_prob, mean, variance, entropy and cdf', async () => {
    const fields = await checkReferenceCase(referenceCase('LogNormal'), make);
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy', 'cdf']);
  });

  it('matches torch KL(LogNormal || LogNormal)', async () => {
    await checkKlCase(referenceKlCase('LogNormal', 'LogNormal'), make, make);
  });

  it('agrees with Monte Carlo: moments, entropy and KL', async () => {
    await expectNoLeaks(() => {
      const p = new LogNormal({ loc: [0, -0.5], scale: [0.3, 0.5] });
      const q = new LogNormal({ loc: [0.2, 0], scale: [0.5, 0.4] });
      checkSampleMoments(p, { n: 40000 });
      checkEntropyMonteCarlo(p);
      checkKlMonteCarlo(p, q);
      checkKlBasics(p, q);
      p.dispose();
      q.dispose();
    });
  });

  it('icdf inverts cdf; rsample gradients agree with finite differences', async () => {
    await expectNoLeaks(() => {
      const d = new LogNormal({ loc: [0, 1], scale: [1, 0.5] });
      const cdf = d.cdf([[0.5, 3]]);
      const back = d.icdf(cdf);
      expectClose(back, [0.5, 3], { rtol: 2e-3 });
      const mode = d.mode();
      expectClose(mode, [Math.exp(-1), Math.exp(0.75)]);
      tf.dispose([cdf, back, mode]);
      d.dispose();
    });
    const loc = tf.tensor([0.3, -1]);
    const scale = tf.tensor([0.4, 0.2]);
    checkRsampleGradient((x) => new LogNormal({ loc: x, scale }), loc);
    checkRsampleGradient((x) => new LogNormal({ loc, scale: x }), scale);
    tf.dispose([loc, scale]);
  });

  it('rejects non-positive values', () => {
    const d = new LogNormal({ loc: 0, scale: 1 });
    expectVaeError(
      () => d.logProb([0, 1]),
      /LogNormal.logProb: `value` must be positive, got .*min 0/,
    );
    d.dispose();
  });
});
