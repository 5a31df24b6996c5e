import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, flatNumbers, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  klDivergence,
  Multinomial,
  OneHotCategorical,
  OneHotCategoricalStraightThrough,
} from '../src/index.js';
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
  discreteCase,
  discreteKlCase,
  referenceTensor,
} from './helpers/reference.js';

const multinomial = (p: Record<string, tf.Tensor>) => {
  const totalCount = p.total_count!.dataSync()[0]!;
  return p.probs === undefined
    ? new Multinomial({ totalCount, logits: p.logits! })
    : new Multinomial({ totalCount, probs: p.probs });
};
const straightThrough = (p: Record<string, tf.Tensor>) =>
  new OneHotCategoricalStraightThrough({ logits: p.logits! });

describe('Multinomial', () => {
  for (const type of ['Multinomial', 'MultinomialLogits']) {
    it(`matches torch (${type}): log_prob, mean, variance, entropy and gradients`, async () => {
      const c = discreteCase(type);
      const tolerance = { rtol: 1e-4, atol: 3e-5 };
      const fields = await checkReferenceCase(c, multinomial, { tolerance });
      expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
      expect(await checkReferenceGradients(c, multinomial)).toHaveLength(1);
    });
  }

  it('samples count vectors summing to totalCount with the right moments; seeds repeat', async () => {
    await expectNoLeaks(() => {
      const d = new Multinomial({
        totalCount: 25,
        probs: [
          [0.2, 0.3, 0.5],
          [0.7, 0, 0.3],
          [0.01, 0.01, 0.98],
        ],
      });
      checkSampleMoments(d, { atol: 1e-3 });
      checkEntropyMonteCarlo(d);
      checkSeeds(d);
      const x = d.sample([100], 1);
      expect(x.shape).toEqual([100, 3, 3]);
      const sums = tf.sum(x, -1);
      expect(values(sums).every((s) => s === 25)).toBe(true);
      expect(
        values(x)
          .filter((_, i) => i % 9 === 4)
          .every((k) => k === 0),
      ).toBe(true);
      tf.dispose([x, sums]);
      d.dispose();
    });
  });

  it('has totalCount 1 equal to OneHotCategorical, and n = 0 puts all mass on zeros', async () => {
    await expectNoLeaks(() => {
      const logits = [0.3, -1, 2];
      const m = new Multinomial({ logits });
      const c = new OneHotCategorical({ logits });
      const x = tf.eye(3);
      const [a, b, ha, hb] = [m.logProb(x), c.logProb(x), m.entropy(), c.entropy()];
      expectClose(a!, b!, { rtol: 1e-5 });
      expectClose(ha!, hb!, { rtol: 1e-5 });
      const empty = new Multinomial({ totalCount: 0, logits });
      const lp = empty.logProb([0, 0, 0]);
      const h = empty.entropy();
      expectClose(lp, [0]);
      expectClose(h, [0], { atol: 1e-6 });
      tf.dispose([x, a!, b!, ha!, hb!, lp, h]);
      for (const d of [m, c, empty]) d.dispose();
    });
  });

  it('rejects a non-integer totalCount and values that do not sum to it', () => {
    expectVaeError(
      () => new Multinomial({ totalCount: 2.5, probs: [0.5, 0.5] }),
      'INVALID_ARGUMENT',
      /Multinomial: `totalCount` must be a non-negative integer, got 2\.5/,
    );
    const d = new Multinomial({ totalCount: 4, probs: [0.5, 0.5] });
    expectVaeError(
      () => d.logProb([1, 2]),
      'INVALID_ARGUMENT',
      /Multinomial\.logProb: `value` must be non-negative integers summing to totalCount = 4/,
    );
    expectVaeError(() => d.rsample(), 'NOT_REPARAMETERIZABLE', /Multinomial\.rsample/);
    d.dispose();
  });
});

describe('OneHotCategoricalStraightThrough', () => {
  it('matches torch: log_prob, mean, variance, entropy, gradients and the straight-through rsample gradient', async () => {
    const c = discreteCase('OneHotCategoricalStraightThrough');
    const fields = await checkReferenceCase(c, straightThrough);
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
    expect(await checkReferenceGradients(c, straightThrough)).toEqual(['logits']);
    await expectNoLeaks(() => {
      const logits = referenceTensor(c.params.logits!);
      const weights = referenceTensor(c.weights!);
      const f = (l: tf.Tensor) =>
        tf.tidy(() => {
          const d = new OneHotCategoricalStraightThrough({ logits: l });
          const total = tf.sum(tf.mul(d.rsample([2], 3), weights)) as tf.Scalar;
          d.dispose();
          return total;
        });
      const gradient = tf.grad(f)(logits);
      expectClose(gradient, flatNumbers(c.grad_rsample!.logits!), { rtol: 1e-4, atol: 1e-6 });
      tf.dispose([logits, weights, gradient]);
    });
  });

  it('draws exact one-hot rows with the gradient of probs, and uses the OneHotCategorical KL', async () => {
    await checkKlCase(
      discreteKlCase('OneHotCategoricalStraightThrough', 'OneHotCategoricalStraightThrough'),
      straightThrough,
    );
    await expectNoLeaks(() => {
      const p = new OneHotCategoricalStraightThrough({ logits: [[0.5, 0, -0.5]] });
      const q = new OneHotCategoricalStraightThrough({ probs: [[0.2, 0.3, 0.5]] });
      expect(p.hasRsample).toBe(true);
      expectVaeError(
        () => p.logProb([[0.5, 0.5, 0]]),
        'INVALID_ARGUMENT',
        /^OneHotCategoricalStraightThrough\.logProb: `value` must be a one-hot vector/,
      );
      const a = p.rsample([200], 0);
      const b = p.sample([200], 0);
      expect(values(a)).toEqual(values(b));
      expect(values(a).every((v) => v === 0 || v === 1)).toBe(true);
      checkSeeds(p, { reparameterized: true });
      checkKlBasics(p, q);
      checkKlMonteCarlo(p, q);
      checkEntropyMonteCarlo(p);
      // The straight-through gradient of sum(w * rsample) is d sum(w * probs) / d logits.
      const logits = tf.tensor2d([[0.5, 0, -0.5]]);
      const w = tf.tensor2d([[1, -2, 0.5]]);
      const f = (l: tf.Tensor) =>
        tf.tidy(() => {
          const d = new OneHotCategoricalStraightThrough({ logits: l });
          const total = tf.sum(tf.mul(d.rsample([], 9), w)) as tf.Scalar;
          d.dispose();
          return total;
        });
      const g = tf.grad(f)(logits);
      const expected = numericGradient(
        (l) => tf.sum(tf.mul(tf.softmax(l), w)) as tf.Scalar,
        logits,
        1e-3,
      );
      expectClose(g, expected, { rtol: 2e-3, atol: 2e-3 });
      const kl = klDivergence(p, q);
      expect(kl.shape).toEqual([1]);
      tf.dispose([a, b, logits, w, g, kl]);
      p.dispose();
      q.dispose();
    });
  });
});
