import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Bernoulli, klDivergence } from '../src/index.js';
import { expectVaeError } from './helpers/errors.js';
import {
  checkEntropyMonteCarlo,
  checkKlBasics,
  checkKlMonteCarlo,
  checkSampleMoments,
} from './helpers/properties.js';
import {
  checkKlCase,
  checkReferenceCase,
  referenceCase,
  referenceKlCase,
} from './helpers/reference.js';

const fromProbs = (p: Record<string, tf.Tensor>) => new Bernoulli({ probs: p.probs! });
const fromLogits = (p: Record<string, tf.Tensor>) =>
  new Bernoulli({ logits: tf.tidy(() => tf.sub(tf.log(p.probs!), tf.log1p(tf.neg(p.probs!)))) });

describe('Bernoulli', () => {
  it('matches torch with probs and with logits', async () => {
    const c = referenceCase('Bernoulli');
    expect(await checkReferenceCase(c, fromProbs)).toEqual([
      'log_prob',
      'mean',
      'variance',
      'entropy',
    ]);
    // The logits tensor is created by the factory: free it with the distribution.
    await checkReferenceCase(c, (p) => {
      const d = fromLogits(p);
      const logits = d.logits();
      const dispose = d.dispose.bind(d);
      d.dispose = () => {
        dispose();
        tf.dispose(logits);
        tf.dispose((d as unknown as { param: tf.Tensor }).param);
      };
      return d;
    });
  });

  it('matches torch KL(Bernoulli || Bernoulli) and gives Infinity where q excludes an outcome', async () => {
    await checkKlCase(referenceKlCase('Bernoulli', 'Bernoulli'), fromProbs, fromProbs);
    await expectNoLeaks(() => {
      const p = new Bernoulli({ probs: [0, 1, 0.3, 0.3, 0] });
      const q = new Bernoulli({ probs: [0.5, 0.5, 0, 1, 0] });
      const kl = klDivergence(p, q);
      expectClose(kl, [Math.LN2, Math.LN2, Infinity, Infinity, 0]);
      kl.dispose();
      p.dispose();
      q.dispose();
    });
  });

  it('samples, entropy and KL agree with Monte Carlo (20000 draws, 5 standard errors)', async () => {
    await expectNoLeaks(() => {
      const p = new Bernoulli({ probs: [0.1, 0.5, 0.93] });
      const q = new Bernoulli({ logits: [0.3, -1, 2] });
      checkSampleMoments(p);
      checkEntropyMonteCarlo(p);
      checkKlMonteCarlo(p, q);
      checkKlBasics(p, q);
      checkKlBasics(q, p);
      p.dispose();
      q.dispose();
    });
  });

  it('stays finite with finite gradients at extreme logits', () => {
    const logits = tf.tensor([50, -50, 1e4, -1e4, 0]);
    const x = tf.tensor([
      [1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0],
    ]);
    const f = (l: tf.Tensor) => tf.sum(new Bernoulli({ logits: l }).logProb(x)) as tf.Scalar;
    const lp = tf.tidy(() => new Bernoulli({ logits }).logProb(x));
    const grad = tf.grad(f)(logits);
    expectClose(lp, [0, -50, 0, -1e4, -Math.LN2, -50, 0, -1e4, 0, -Math.LN2], { atol: 1e-6 });
    // d/dl [log sigmoid(l) + log sigmoid(-l)] = 1 - 2 sigmoid(l)
    expectClose(grad, [-1, 1, -1, 1, 0], { atol: 1e-6 });
    const entropy = tf.tidy(() => new Bernoulli({ logits }).entropy());
    for (const value of entropy.dataSync()) expect(Number.isFinite(value)).toBe(true);
    tf.dispose([logits, x, lp, grad, entropy]);
  });

  it.each([
    { shape: [], sample: [2], out: [2] },
    { shape: [3], sample: [], out: [3] },
    { shape: [2, 3], sample: [4], out: [4, 2, 3] },
  ])('shapes: probs $shape, sampleShape $sample', async ({ shape, sample, out }) => {
    await expectNoLeaks(() => {
      const d = new Bernoulli({ probs: tf.tidy(() => tf.fill(shape, 0.3)) });
      expect(d.batchShape).toEqual(shape);
      const s = d.sample(sample, 3);
      expect(s.shape).toEqual(out);
      const lp = d.logProb(s);
      expect(lp.shape).toEqual(out);
      const mode = d.mode();
      expectClose(mode, new Array<number>(mode.size).fill(0));
      tf.dispose([s, lp, mode, (d as unknown as { param: tf.Tensor }).param]);
      d.dispose();
    });
  });

  it('rejects bad parameters and values', async () => {
    await expectNoLeaks(() => {
      expectVaeError(
        () => new Bernoulli({ probs: [0.5, 1.2] }),
        /^Bernoulli: `probs` must be in \[0, 1\], got a tensor of shape \[2\] with min 0.5, max 1.2/,
      );
      expectVaeError(
        () => new Bernoulli({ logits: [Number.NaN] }),
        /Bernoulli: `logits` must be finite/,
      );
      expectVaeError(
        () => new Bernoulli({ probs: 0.5, logits: 0 } as never),
        /exactly one of `probs` and `logits`, got both/,
      );
      expectVaeError(() => new Bernoulli({} as never), /got neither/);
      const d = new Bernoulli({ probs: [0.5, 0.5] });
      expectVaeError(() => d.logProb([0.5, 1]), /Bernoulli.logProb: `value` must be 0 or 1/);
      expectVaeError(() => d.rsample(), /Bernoulli.rsample/, 'NOT_REPARAMETERIZABLE');
      d.dispose();
    });
  });
});
