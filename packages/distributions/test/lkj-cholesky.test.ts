import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { LKJCholesky } from '../src/index.js';
import { expectVaeError } from './gamma-family-support.js';
import { checkSeeds, expectMonteCarloMean } from './helpers/properties.js';
import { checkReferenceCase, checkReferenceGradients, discreteCase } from './helpers/reference.js';

const lkj = (p: Record<string, tf.Tensor>) =>
  new LKJCholesky({ dim: p.dim!.dataSync()[0]!, concentration: p.concentration! });

describe('LKJCholesky', () => {
  for (const type of ['LKJCholesky', 'LKJCholesky2']) {
    it(`matches torch (${type}): log_prob and its gradient in concentration`, async () => {
      const c = discreteCase(type);
      const fields = await checkReferenceCase(c, lkj, { tolerance: { rtol: 1e-4, atol: 3e-5 } });
      expect(fields).toEqual(['log_prob']);
      expect(await checkReferenceGradients(c, lkj)).toEqual(['concentration']);
    });
  }

  it('integrates to 1 in dimension 2 (density over the free entry L_10 = r in (-1, 1))', async () => {
    await expectNoLeaks(() => {
      const etas = [1, 2, 4.5];
      const d = new LKJCholesky({ dim: 2, concentration: etas });
      const n = 2001; // Simpson's rule on a grid of r
      const rs = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
      const factors = rs.map((r) => [
        [1, 0],
        [r, Math.sqrt(Math.max(1 - r * r, 0))],
      ]);
      const values = tf.tidy(() => {
        const x = tf.tile(tf.expandDims(tf.tensor3d(factors), 1), [1, etas.length, 1, 1]);
        return tf.exp(
          new LKJCholesky({ dim: 2, concentration: etas, validateArgs: false }).logProb(x),
        );
      });
      const density = values.arraySync() as number[][];
      const h = 2 / (n - 1);
      etas.forEach((eta, j) => {
        let integral = 0;
        for (let i = 0; i < n; i++) {
          const weight = i === 0 || i === n - 1 ? 1 : i % 2 === 1 ? 4 : 2;
          integral += weight * (Number.isFinite(density[i]![j]!) ? density[i]![j]! : 0);
        }
        expect(Math.abs((integral * h) / 3 - 1), `eta ${eta}`).toBeLessThan(1e-3);
      });
      values.dispose();
      d.dispose();
    });
  });

  it('samples Cholesky factors of correlation matrices whose correlations have the LKJ marginal', async () => {
    await expectNoLeaks(() => {
      for (const dim of [3, 4]) {
        const etas = [0.5, 1, 3];
        const d = new LKJCholesky({ dim, concentration: etas });
        const l = d.sample([10000], 5);
        expect(l.shape).toEqual([10000, 3, dim, dim]);
        const logp = tf.tidy(() => d.logProb(tf.slice(l, [0], [200]))); // validates 200 draws
        // Every correlation of L L^T is Beta(eta - 1 + dim/2, ...) on [-1, 1]: mean 0, variance
        // 1 / (2 eta + dim - 1). rho_10 comes from row 1, rho_(dim-1)(dim-2) from the last row
        // (torch 1.13's sampler gets the last rows wrong: variance 0.374 for 1/3 at eta 0.5).
        const [first, last] = tf.tidy(() => {
          const correlation = tf.matMul(l, l, false, true);
          const pick = (i: number, j: number) =>
            tf.reshape(tf.slice(correlation, [0, 0, i, j], [-1, -1, 1, 1]), [10000, 3]);
          return [pick(1, 0), pick(dim - 1, dim - 2)];
        });
        const variance = tf.tensor1d(etas.map((eta) => 1 / (2 * eta + dim - 1)));
        const zeros = tf.zeros([3]);
        for (const r of [first!, last!]) {
          expectMonteCarloMean(r, zeros);
          const squared = tf.square(r);
          expectMonteCarloMean(squared, variance);
          squared.dispose();
        }
        tf.dispose([l, logp, first!, last!, variance, zeros]);
        d.dispose();
      }
    });
  });

  it('honours its seeds and has no rsample, moments or entropy (as torch)', () => {
    const d = new LKJCholesky({ dim: 3, concentration: 2 });
    checkSeeds(d, { sampleShape: [4] });
    expectVaeError(() => d.rsample(), 'NOT_REPARAMETERIZABLE', /LKJCholesky\.rsample/);
    expectVaeError(() => d.entropy(), 'UNSUPPORTED', /LKJCholesky\.entropy/);
    expectVaeError(() => d.mean(), 'UNSUPPORTED', /LKJCholesky\.mean/);
    d.dispose();
  });

  it('rejects a bad dim, concentration and values that are not correlation Cholesky factors', () => {
    expectVaeError(
      () => new LKJCholesky({ dim: 1 }),
      'INVALID_ARGUMENT',
      /LKJCholesky: `dim` must be an integer >= 2, got 1/,
    );
    expectVaeError(
      () => new LKJCholesky({ dim: 2, concentration: [1, 0] }),
      'INVALID_ARGUMENT',
      /LKJCholesky: `concentration` must be positive/,
    );
    const d = new LKJCholesky({ dim: 2 });
    expectVaeError(
      () =>
        d.logProb([
          [1, 0],
          [0.5, 0.5],
        ]),
      'INVALID_ARGUMENT',
      /LKJCholesky\.logProb: `value` must be the Cholesky factor of a correlation matrix/,
    );
    const ok = d.logProb([
      [1, 0],
      [0.6, 0.8],
    ]);
    expectClose(ok, [-Math.log(2)]); // eta = 1 is uniform on r in (-1, 1)
    ok.dispose();
    d.dispose();
  });
});
