import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Geometric, klDivergence, NegativeBinomial } from '../src/index.js';
import { expectVaeError, values } from './gamma-family-support.js';
import {
  checkEntropyMonteCarlo,
  checkKlBasics,
  checkKlMonteCarlo,
  checkSampleMoments,
  checkSeeds,
} from './helpers/properties.js';
import {
  checkKlCase,
  checkReferenceCase,
  checkReferenceGradients,
  checkReferenceMode,
  discreteCase,
  discreteKlCase,
} from './helpers/reference.js';

const geometric = (p: Record<string, tf.Tensor>) =>
  p.probs === undefined ? new Geometric({ logits: p.logits! }) : new Geometric({ probs: p.probs });
const negativeBinomial = (p: Record<string, tf.Tensor>) =>
  p.probs === undefined
    ? new NegativeBinomial({ totalCount: p.total_count!, logits: p.logits! })
    : new NegativeBinomial({ totalCount: p.total_count!, probs: p.probs });

describe('Geometric', () => {
  for (const type of ['Geometric', 'GeometricLogits']) {
    it(`matches torch (${type}): log_prob, mean, variance, entropy, mode, gradients`, async () => {
      const c = discreteCase(type);
      const fields = await checkReferenceCase(c, geometric);
      expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
      expect(await checkReferenceMode(c, geometric)).toBe(true);
      expect(await checkReferenceGradients(c, geometric)).toHaveLength(1);
    });
  }

  it('matches torch KL(Geometric || Geometric), which agrees with Monte Carlo', async () => {
    await checkKlCase(discreteKlCase('Geometric', 'Geometric'), geometric);
    await expectNoLeaks(() => {
      const p = new Geometric({ probs: [0.1, 0.5, 0.9] });
      const q = new Geometric({ logits: [0, -1, 2] });
      checkKlBasics(p, q);
      checkKlMonteCarlo(p, q);
      checkEntropyMonteCarlo(p);
      checkEntropyMonteCarlo(q);
      p.dispose();
      q.dispose();
    });
  });

  it('samples counts with the right moments and honours its seeds; p = 1 always gives 0', async () => {
    await expectNoLeaks(() => {
      const d = new Geometric({ probs: [0.05, 0.3, 0.8, 1] });
      checkSampleMoments(d, { atol: 1e-3 });
      checkSeeds(d);
      const x = d.sample([300], 2);
      const v = values(x);
      expect(v.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
      expect(v.filter((_, i) => i % 4 === 3).every((k) => k === 0)).toBe(true);
      const lp = d.logProb([0, 0, 0, 0]);
      expectClose(lp, [Math.log(0.05), Math.log(0.3), Math.log(0.8), 0]);
      tf.dispose([x, lp]);
      d.dispose();
    });
  });

  it('rejects probs outside (0, 1] and non-integer values', () => {
    expectVaeError(
      () => new Geometric({ probs: [0.5, 0] }),
      'INVALID_ARGUMENT',
      /Geometric: `probs` must be in \(0, 1\], got .*first 0/,
    );
    const d = new Geometric({ probs: 0.5 });
    expectVaeError(
      () => d.logProb(1.5),
      'INVALID_ARGUMENT',
      /Geometric\.logProb: `value` must be a non-negative integer/,
    );
    expectVaeError(() => d.rsample(), 'NOT_REPARAMETERIZABLE', /Geometric\.rsample/);
    d.dispose();
  });
});

describe('NegativeBinomial', () => {
  for (const type of ['NegativeBinomial', 'NegativeBinomialLogits']) {
    it(`matches torch (${type}): log_prob, mean, variance, mode and gradients in totalCount and probs`, async () => {
      const c = discreteCase(type);
      const tolerance = { rtol: 1e-4, atol: 3e-5 };
      const fields = await checkReferenceCase(c, negativeBinomial, { tolerance });
      expect(fields).toEqual(['log_prob', 'mean', 'variance']);
      expect(await checkReferenceMode(c, negativeBinomial)).toBe(true);
      expect(await checkReferenceGradients(c, negativeBinomial)).toHaveLength(2);
    });
  }

  it('samples counts (Gamma-Poisson) with the right moments and honours its seeds', async () => {
    await expectNoLeaks(() => {
      const d = new NegativeBinomial({ totalCount: [0, 0.5, 3, 20], probs: [0.5, 0.3, 0.6, 0.1] });
      checkSampleMoments(d, { atol: 1e-3 });
      checkSeeds(d);
      const x = d.sample([200], 4);
      const v = values(x);
      expect(v.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
      expect(v.filter((_, i) => i % 4 === 0).every((k) => k === 0)).toBe(true);
      tf.dispose(x);
      d.dispose();
    });
  });

  it('logProb sums to 1 over the counts, with P(0) = 1 at totalCount 0', () => {
    const d = new NegativeBinomial({ totalCount: [0, 2.5, 7], logits: [0.3, -0.5, 0.2] });
    const ks = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, 400, 1, 'float32'), [400, 1]), [1, 3]));
    const total = tf.tidy(() => tf.sum(tf.exp(d.logProb(ks)), 0));
    expectClose(total, [1, 1, 1], { atol: 1e-4 });
    tf.dispose([ks, total]);
    d.dispose();
  });

  it('rejects bad parameters, has no entropy and no closed-form KL (as torch)', () => {
    expectVaeError(
      () => new NegativeBinomial({ totalCount: -1, probs: 0.5 }),
      'INVALID_ARGUMENT',
      /NegativeBinomial: `totalCount` must be finite and non-negative/,
    );
    expectVaeError(
      () => new NegativeBinomial({ totalCount: 2, probs: 1 }),
      'INVALID_ARGUMENT',
      /NegativeBinomial: `probs` must be in \[0, 1\)/,
    );
    const d = new NegativeBinomial({ totalCount: 2, probs: 0.5 });
    expectVaeError(() => d.entropy(), 'UNSUPPORTED', /NegativeBinomial\.entropy/);
    expectVaeError(() => klDivergence(d, d), 'KL_NOT_REGISTERED', /klMonteCarlo/);
    d.dispose();
  });
});
