import * as tf from '@tensorflow/tfjs-core';
import type { VAE } from '@vae/nn';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elbo, iwae, logLikelihood } from '../src/index.js';
import { LinearGaussianHierarchy } from './linear-gaussian-hierarchy.js';

const points: [number, number][] = [
  [0.5, 0.1],
  [-1.2, 0.9],
  [2.0, -1.5],
];
const hierarchy = new LinearGaussianHierarchy();
let exact: VAE;
let rough: VAE;
let x: tf.Tensor2D;
let logMarginal: number[];

beforeAll(() => {
  exact = hierarchy.model(hierarchy.exact());
  rough = hierarchy.model(hierarchy.rough());
  x = tf.tensor2d(points);
  logMarginal = points.map((p) => hierarchy.logMarginal(p));
});

afterAll(() => {
  x.dispose();
  exact.dispose();
  rough.dispose();
});

/**
 * Means over `replicates` independent estimates per point (the points repeated
 * along the batch), and their standard errors.
 */
function average(
  estimate: (batch: tf.Tensor) => tf.Tensor,
  replicates: number,
): [number[], number[]] {
  return tf.tidy(() => {
    const all = tf.reshape(estimate(tf.tile(x, [replicates, 1])), [replicates, points.length]);
    const { mean, variance } = tf.moments(all, 0);
    const error = tf.sqrt(tf.div(variance, replicates - 1));
    return [Array.from(mean.dataSync()), Array.from(error.dataSync())];
  });
}

describe('a two-layer linear-Gaussian VAE: bounds against closed forms', () => {
  it('with the exact posterior q(z1 | x) q(z2 | z1), the ELBO is log p(x) for every sample', async () => {
    const terms = await expectNoLeaks(() => elbo(exact, x, { samples: 3, seed: 1 }));
    expect(terms.elbo.isDisposed).toBe(true);
    tf.tidy(() => {
      expectClose(elbo(exact, x, { samples: 3, seed: 1 }).elbo, logMarginal, {
        rtol: 1e-4,
        atol: 1e-4,
      });
      expectClose(iwae(exact, x, { k: 7, seed: 2 }), logMarginal, { rtol: 1e-4, atol: 1e-4 });
    });
  });

  it('with a poor encoder, the ELBO terms match the hand computation (Monte Carlo, 20000 samples)', () => {
    tf.tidy(() => {
      const terms = elbo(rough, x, { samples: 20000, seed: 3 });
      const closed = points.map((p) => hierarchy.elboClosedForm(p, hierarchy.rough()));
      // Standard errors of both 20000-sample means are below 0.02 here; allow 0.06.
      expectClose(
        terms.reconstruction,
        closed.map((c) => c.reconstruction),
        { rtol: 0, atol: 0.06 },
      );
      expectClose(
        terms.kl,
        closed.map((c) => c.kl),
        { rtol: 0, atol: 0.06 },
      );
      for (const [i, bound] of Array.from(terms.elbo.dataSync()).entries()) {
        const c = closed[i]!;
        expect(c.reconstruction - c.kl).toBeLessThan(logMarginal[i]! - 0.05);
        expect(bound).toBeLessThan(logMarginal[i]!);
      }
    });
  });

  // About 1.2 million model evaluations: 3 s on wasm, 15 s on the plain-JS cpu backend
  // alone (logLikelihood's k = 200,000 most of it), past 30 s when the cores are shared.
  it('ELBO < IWAE_3 < IWAE_100 <= log p(x) (means over 1000+ replicates, 3 standard errors); logLikelihood -> log p(x)', {
    timeout: 90_000,
  }, () => {
    const elboMean = tf.tidy(() =>
      Array.from(elbo(rough, x, { samples: 20000, seed: 9 }).elbo.dataSync()),
    );
    const [k3, error3] = average((batch) => iwae(rough, batch, { k: 3, seed: 1 }), 4000);
    const [k100, error100] = average((batch) => iwae(rough, batch, { k: 100, seed: 2 }), 1000);
    const ll = tf.tidy(() =>
      Array.from(logLikelihood(rough, x, { k: 200000, batchSize: 60000, seed: 1 }).dataSync()),
    );
    for (const [i, truth] of logMarginal.entries()) {
      expect(k3[i]! - elboMean[i]!).toBeGreaterThan(3 * error3[i]!);
      expect(k100[i]! - k3[i]!).toBeGreaterThan(3 * Math.hypot(error3[i]!, error100[i]!));
      expect(k100[i]!).toBeLessThan(truth + 3 * error100[i]!);
      expect(Math.abs(ll[i]! - truth)).toBeLessThan(0.02);
    }
  });
});
