import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Normal, VaeError } from '../src/index.js';
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

const make = (p: Record<string, tf.Tensor>) => new Normal({ loc: p.loc!, scale: p.scale! });

describe('Normal', () => {
  it('matches torch log_prob, mean, variance, entropy and cdf', async () => {
    const fields = await checkReferenceCase(referenceCase('Normal'), make);
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy', 'cdf']);
  });

  it('matches torch KL(Normal || Normal)', async () => {
    await checkKlCase(referenceKlCase('Normal', 'Normal'), make, make);
  });

  it('inverts its cdf with icdf', async () => {
    await expectNoLeaks(() => {
      const d = new Normal({ loc: [0, 2, -1], scale: [1, 0.5, 3] });
      const x = tf.tensor([
        [-1.5, 2.2, 4],
        [0.3, 1.1, -7],
      ]);
      const cdf = d.cdf(x);
      const roundTrip = d.icdf(cdf);
      expectClose(roundTrip, x, { rtol: 2e-3, atol: 2e-3 });
      // Standard normal quantiles (float64), including a far lower tail.
      const standard = new Normal({ loc: 0, scale: 1 });
      const quantiles = standard.icdf([1e-6, 1e-3, 0.025, 0.5, 0.9, 0.975]);
      expectClose(
        quantiles,
        [
          -4.753424308822899, -3.090232306167813, -1.959963984540054, 0, 1.2815515655446004,
          1.959963984540054,
        ],
        { rtol: 1e-6, atol: 1e-6 },
      );
      tf.dispose(quantiles);
      standard.dispose();
      const ends = d.icdf([[0, 1, 0.5]]);
      expectClose(ends, [-Infinity, Infinity, -1]);
      tf.dispose([x, cdf, roundTrip, ends]);
      d.dispose();
    });
  });

  it('samples with the right moments, entropy and KL (20000 draws, 5 standard errors)', async () => {
    await expectNoLeaks(() => {
      const p = new Normal({ loc: [0.5, -2, 3], scale: [1, 0.3, 2.5] });
      const q = new Normal({ loc: [0, -1, 2], scale: [2, 0.5, 1] });
      checkSampleMoments(p);
      checkEntropyMonteCarlo(p);
      checkKlMonteCarlo(p, q);
      checkKlBasics(p, q);
      p.dispose();
      q.dispose();
    });
  });

  it('rsample gradients agree with finite differences', () => {
    const loc = tf.tensor([0.3, -1.2]);
    const scale = tf.tensor([0.7, 1.9]);
    checkRsampleGradient((x) => new Normal({ loc: x, scale }), loc);
    checkRsampleGradient((x) => new Normal({ loc, scale: x }), scale);
    tf.dispose([loc, scale]);
  });

  it.each([
    { loc: [], scale: [], batch: [] },
    { loc: [3], scale: [], batch: [3] },
    { loc: [2, 1], scale: [3], batch: [2, 3] },
    { loc: [4, 1, 1], scale: [2, 1], batch: [4, 2, 1] },
  ])('broadcasts loc $loc with scale $scale to batch $batch', async ({ loc, scale, batch }) => {
    await expectNoLeaks(() => {
      const params = { loc: tf.zeros(loc), scale: tf.ones(scale) };
      const d = new Normal(params);
      expect(d.batchShape).toEqual(batch);
      expect(d.eventShape).toEqual([]);
      const s = d.sample([5]);
      expect(s.shape).toEqual([5, ...batch]);
      const lp = d.logProb(s);
      expect(lp.shape).toEqual([5, ...batch]);
      const ent = d.entropy();
      expect(ent.shape).toEqual(batch);
      tf.dispose([s, lp, ent, d.mean(), d.stddev(), params.loc, params.scale]);
      d.dispose();
    });
  });

  it('rejects bad parameters and values with named messages', async () => {
    await expectNoLeaks(() => {
      const bad = (f: () => unknown, pattern: RegExp) => {
        try {
          f();
          expect.unreachable();
        } catch (error) {
          expect(VaeError.isInstance(error) && error.code).toBe('INVALID_ARGUMENT');
          expect((error as Error).message).toMatch(pattern);
        }
      };
      bad(
        () => new Normal({ loc: 0, scale: [1, -0.3, 2, 1] }),
        /^Normal: `scale` must be positive and finite, got a tensor of shape \[4\] with min -0.3/,
      );
      expect(() => new Normal({ loc: 0, scale: Number.POSITIVE_INFINITY })).toThrow(
        /^Normal: `scale` must be positive and finite, got .*Infinity/,
      );
      bad(() => new Normal({ loc: [Number.NaN], scale: 1 }), /Normal: `loc` must be finite/);
      bad(() => new Normal({ loc: [0, 0], scale: [1, 1, 1] }), /`loc` \[2\], `scale` \[3\]/);
      bad(() => new Normal({ loc: 0 } as never), /Normal: `scale` is required/);
      const d = new Normal({ loc: [0, 0], scale: 1 });
      bad(() => d.logProb([1, 2, 3]), /Normal.logProb: `value` of shape \[3\]/);
      bad(() => d.logProb([Number.NaN, 0]), /Normal.logProb: `value` must be a real number/);
      bad(() => d.icdf([1.5, 0.5]), /Normal.icdf: `value` must be in \[0, 1\]/);
      d.dispose();
    });
  });

  it('creates no tensors at construction when given float32 tensors of one shape', () => {
    const loc = tf.zeros([8, 4]);
    const scale = tf.ones([8, 4]);
    const before = tf.memory().numTensors;
    const d = new Normal({ loc, scale, validateArgs: false });
    expect(tf.memory().numTensors).toBe(before);
    d.dispose();
    expect(loc.isDisposed || scale.isDisposed).toBe(false);
    tf.dispose([loc, scale]);
  });
});
