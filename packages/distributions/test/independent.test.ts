import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Bernoulli, Independent, klDivergence, Normal } from '../src/index.js';
import { expectVaeError } from './helpers/errors.js';
import { checkKlMonteCarlo, checkRsampleGradient } from './helpers/properties.js';
import {
  checkKlCase,
  checkReferenceCase,
  referenceCase,
  referenceKlCase,
} from './helpers/reference.js';

const diagNormal = (p: Record<string, tf.Tensor>) =>
  new Independent(new Normal({ loc: p.loc!, scale: p.scale! }), 1);

describe('Independent', () => {
  it('matches torch for DiagNormal = Independent(Normal, 1)', async () => {
    // A factory whose base Normal must be disposed too: wrap dispose.
    const fields = await checkReferenceCase(referenceCase('DiagNormal'), (p) => {
      const d = diagNormal(p);
      const dispose = d.dispose.bind(d);
      d.dispose = () => {
        dispose();
        d.base.dispose();
      };
      return d;
    });
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
  });

  it('matches torch KL(DiagNormal || DiagNormal)', async () => {
    await checkKlCase(referenceKlCase('DiagNormal', 'DiagNormal'), diagNormal, diagNormal);
  });

  it('reinterprets batch axes as event axes', async () => {
    await expectNoLeaks(() => {
      const loc = tf.zeros([2, 3, 4]);
      const base = new Normal({ loc, scale: 1 });
      const d = new Independent(base, 2);
      expect(d.batchShape).toEqual([2]);
      expect(d.eventShape).toEqual([3, 4]);
      expect(d.hasRsample).toBe(true);
      const s = d.rsample([5], 1);
      expect(s.shape).toEqual([5, 2, 3, 4]);
      const lp = d.logProb(s);
      const baseLp = base.logProb(s);
      tf.tidy(() => expectClose(lp, tf.sum(baseLp, [2, 3])));
      const entropy = d.entropy();
      expectClose(entropy, [
        12 * (0.5 + 0.5 * Math.log(2 * Math.PI)),
        12 * (0.5 + 0.5 * Math.log(2 * Math.PI)),
      ]);
      tf.dispose([s, lp, baseLp, entropy, loc]);
      d.dispose();
      base.dispose();
    });
  });

  it('sums the base KL over reinterpreted axes and agrees with Monte Carlo', async () => {
    await expectNoLeaks(() => {
      const p = new Independent(
        new Normal({
          loc: [
            [0, 1, 2],
            [1, 1, 1],
          ],
          scale: [
            [1, 2, 0.5],
            [1, 1, 1],
          ],
        }),
        1,
      );
      const q = new Independent(
        new Normal({
          loc: 0,
          scale: [
            [1, 1, 1],
            [2, 2, 2],
          ],
        }),
        1,
      );
      const kl = klDivergence(p, q);
      const baseKl = klDivergence(p.base, q.base);
      expect(kl.shape).toEqual([2]);
      tf.tidy(() => expectClose(kl, tf.sum(baseKl, -1)));
      checkKlMonteCarlo(p, q);
      tf.dispose([kl, baseKl]);
      for (const d of [p, q, p.base, q.base]) d.dispose();
    });
  });

  it('passes rsample gradients through to the base parameters', () => {
    const loc = tf.tensor([[0.2, -0.4, 1]]);
    checkRsampleGradient((x) => new Independent(new Normal({ loc: x, scale: 0.5 }), 1), loc);
    loc.dispose();
  });

  it('rejects bad reinterpretedBatchDims and mismatched KL pairs', () => {
    const base = new Normal({ loc: [[0, 0]], scale: 1 });
    expectVaeError(
      () => new Independent(base, 3),
      /`reinterpretedBatchDims` must be an integer in \[0, 2\].*got 3/,
    );
    expectVaeError(() => new Independent(base, 0.5), /got 0.5/);
    const a = new Independent(base, 1);
    const b = new Independent(base, 2);
    expectVaeError(() => klDivergence(a, b), /event shapes differ/);
    const c = new Independent(new Independent(base, 1), 1);
    expectVaeError(
      () => klDivergence(b, c),
      /reinterpret the same number of batch axes, got 2 and 1/,
    );
    const bern = new Independent(new Bernoulli({ probs: [[0.5, 0.5]] }), 1);
    expect(bern.hasRsample).toBe(false);
    expectVaeError(() => bern.rsample(), /Independent.rsample/, 'NOT_REPARAMETERIZABLE');
    base.dispose();
    bern.base.dispose();
  });
});
