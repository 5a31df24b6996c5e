import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, flatNumbers } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { klDivergence, OneHotCategorical } from '../src/index.js';
import { expectVaeError } from './helpers/errors.js';
import {
  checkEntropyMonteCarlo,
  checkKlMonteCarlo,
  checkSampleMoments,
} from './helpers/properties.js';
import { referenceCase, referenceKlCase } from './helpers/reference.js';

describe('OneHotCategorical', () => {
  it('matches torch Categorical values through one-hot vectors', async () => {
    await expectNoLeaks(() => {
      const c = referenceCase('Categorical');
      const d = new OneHotCategorical({ probs: c.params.probs as number[][] });
      expect(d.eventShape).toEqual([5]);
      expect(d.batchShape).toEqual([4]);
      const x = tf.tidy(() => tf.oneHot(tf.tensor(c.x as number[][], undefined, 'int32'), 5));
      const lp = d.logProb(x);
      expectClose(lp, flatNumbers(c.log_prob!));
      const entropy = d.entropy();
      expectClose(entropy, flatNumbers(c.entropy!));
      const k = referenceKlCase('Categorical', 'Categorical');
      const p = new OneHotCategorical({ probs: k.p.params.probs as number[][] });
      const q = new OneHotCategorical({ probs: k.q.params.probs as number[][] });
      const kl = klDivergence(p, q);
      expectClose(kl, flatNumbers(k.kl));
      tf.dispose([x, lp, entropy, kl]);
      for (const e of [d, p, q]) e.dispose();
    });
  });

  it('agrees with Monte Carlo: moments, entropy, KL (20000 draws, 5 SE)', async () => {
    await expectNoLeaks(() => {
      const p = new OneHotCategorical({
        probs: [
          [0.1, 0.2, 0.7],
          [0.4, 0.4, 0.2],
        ],
      });
      const q = new OneHotCategorical({
        logits: [
          [0, 0, 0],
          [1, 0, -1],
        ],
      });
      checkSampleMoments(p);
      checkEntropyMonteCarlo(p);
      checkKlMonteCarlo(p, q);
      const s = p.sample([3], 1);
      expect(s.shape).toEqual([3, 2, 3]);
      const mode = p.mode();
      expectClose(mode, [0, 0, 1, 1, 0, 0]);
      tf.dispose([s, mode]);
      p.dispose();
      q.dispose();
    });
  });

  it('rejects values that are not one-hot', () => {
    const d = new OneHotCategorical({ probs: [0.5, 0.5] });
    expectVaeError(
      () => d.logProb([1, 1]),
      /OneHotCategorical.logProb: `value` must be a one-hot vector/,
    );
    expectVaeError(() => d.logProb([1, 0, 0]), /does not broadcast/);
    d.dispose();
  });
});
