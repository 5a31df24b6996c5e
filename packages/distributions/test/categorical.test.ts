import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, torchReference } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Categorical, klDivergence } from '../src/index.js';
import { expectVaeError } from './helpers/errors.js';
import {
  checkEntropyMonteCarlo,
  checkKlBasics,
  checkKlMonteCarlo,
  expectMonteCarloMean,
} from './helpers/properties.js';
import {
  checkKlCase,
  checkReferenceCase,
  referenceCase,
  referenceKlCase,
} from './helpers/reference.js';

const make = (p: Record<string, tf.Tensor>) => new Categorical({ probs: p.probs! });

describe('Categorical', () => {
  it('matches torch log_prob and entropy', async () => {
    const fields = await checkReferenceCase(referenceCase('Categorical'), make);
    expect(fields).toEqual(['log_prob', 'entropy']);
  });

  it('matches torch KL(Categorical || Categorical) and the discrete reference cases', async () => {
    await checkKlCase(referenceKlCase('Categorical', 'Categorical'), make, make);
    await expectNoLeaks(() => {
      for (const c of torchReference().discrete) {
        const p = new Categorical({ probs: c.p });
        const q = new Categorical({ probs: c.q });
        const kl = klDivergence(p, q);
        const entropy = p.entropy();
        expectClose(kl, Number(c.kl));
        expectClose(entropy, Number(c.entropy_p));
        tf.dispose([kl, entropy]);
        p.dispose();
        q.dispose();
      }
    });
  });

  it('uses 0 log 0 = 0 and gives +Infinity where q = 0 < p', async () => {
    await expectNoLeaks(() => {
      const p = new Categorical({
        probs: [
          [0.5, 0.5, 0],
          [0.5, 0.5, 0],
        ],
      });
      const q = new Categorical({
        probs: [
          [0.25, 0.25, 0.5],
          [1, 0, 0],
        ],
      });
      const kl = klDivergence(p, q);
      expectClose(kl, [Math.LN2, Infinity]);
      const entropy = p.entropy();
      expectClose(entropy, [Math.LN2, Math.LN2]);
      const lp = p.logProb([2, 0]);
      // log 0: about -3.4e38 (clamped) on cpu and wasm; webgl's log(0) is about -88.
      expect(lp.dataSync()[0]).toBeLessThan(-80);
      tf.dispose([kl, entropy, lp]);
      p.dispose();
      q.dispose();
    });
  });

  it('samples int32 indices with the right frequencies (20000 draws, 5 SE)', async () => {
    await expectNoLeaks(() => {
      const probs = [
        [0.1, 0.2, 0.7],
        [0.5, 0.25, 0.25],
      ];
      const d = new Categorical({ logits: tf.tidy(() => tf.log(tf.tensor(probs))) });
      const s = d.sample([20000], 4);
      expect(s.dtype).toBe('int32');
      expect(s.shape).toEqual([20000, 2]);
      const counts = tf.tidy(() => tf.cast(tf.oneHot(s, 3), 'float32'));
      const expected = tf.tensor(probs);
      expectMonteCarloMean(counts, expected);
      checkEntropyMonteCarlo(d);
      const q = new Categorical({ probs: [0.3, 0.3, 0.4] });
      checkKlMonteCarlo(d, q);
      checkKlBasics(d, q);
      tf.dispose([s, counts, expected, (d as unknown as { param: tf.Tensor }).param]);
      d.dispose();
      q.dispose();
    });
  });

  it('stays finite with finite gradients at extreme logits', () => {
    const logits = tf.tensor([
      [50, -50, 0],
      [1e4, -1e4, 0],
    ]);
    const f = (l: tf.Tensor) =>
      tf.sum(
        new Categorical({ logits: l }).logProb([
          [0, 1],
          [2, 0],
        ]),
      ) as tf.Scalar;
    const value = tf.tidy(() => f(logits));
    const grad = tf.grad(f)(logits);
    expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
    for (const g of grad.dataSync()) expect(Number.isFinite(g)).toBe(true);
    tf.dispose([logits, value, grad]);
  });

  it('handles shapes, mode and bad inputs', async () => {
    await expectNoLeaks(() => {
      const d = new Categorical({
        probs: [
          [1, 2, 1],
          [3, 1, 0],
        ],
      }); // unnormalized
      expect(d.batchShape).toEqual([2]);
      expect(d.eventShape).toEqual([]);
      const probs = d.probs();
      expectClose(probs, [0.25, 0.5, 0.25, 0.75, 0.25, 0]);
      const mode = d.mode();
      expectClose(mode, [1, 0]);
      const lp = d.logProb([
        [1, 0],
        [0, 1],
        [2, 0],
      ]);
      expect(lp.shape).toEqual([3, 2]);
      expectVaeError(
        () => d.logProb([1, 3]),
        /Categorical.logProb: `value` must be an integer in \[0, 2\]/,
      );
      expectVaeError(() => d.logProb([0.5, 1]), /an integer in \[0, 2\]/);
      expectVaeError(() => d.rsample(), /Categorical.rsample/, 'NOT_REPARAMETERIZABLE');
      tf.dispose([probs, mode, lp]);
      d.dispose();
      expectVaeError(
        () => new Categorical({ probs: 0.5 }),
        /Categorical: `probs` must have at least 1 axis/,
      );
      expectVaeError(
        () => new Categorical({ probs: [0.5, -0.1] }),
        /Categorical: `probs` must be non-negative/,
      );
    });
  });
});
