import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { LogisticNormal, StickBreaking, TransformedDistribution } from '../src/index.js';
import { checkRsampleGradient } from './helpers/properties.js';
import { bijectorReference, checkReferenceCase } from './helpers/reference.js';

const make = (p: Record<string, tf.Tensor>) => new LogisticNormal({ loc: p.loc!, scale: p.scale! });

describe('LogisticNormal', () => {
  for (const c of bijectorReference().logisticNormal) {
    it(`matches torch log_prob (${c.type})`, async () => {
      expect(await checkReferenceCase(c, make)).toEqual(['log_prob']);
    });
  }

  it('is a Normal through StickBreaking: shapes, samples on the simplex, K = 2 from scalars', async () => {
    await expectNoLeaks(() => {
      const d = new LogisticNormal({ loc: [[0, 1, -1]], scale: [0.5, 1, 2] });
      expect(d).toBeInstanceOf(TransformedDistribution);
      expect(d.bijector).toBeInstanceOf(StickBreaking);
      expect([d.batchShape, d.eventShape]).toEqual([[1], [4]]);
      const x = d.rsample([200], 3);
      expect(x.shape).toEqual([200, 1, 4]);
      const [sums, min] = tf.tidy(() => [tf.sum(x, -1), tf.min(x)]);
      expectClose(sums, new Array<number>(200).fill(1), { atol: 1e-5 });
      expect(min.dataSync()[0]).toBeGreaterThan(0);
      const logp = d.logProb(x);
      for (const value of logp.dataSync()) expect(Number.isFinite(value)).toBe(true);
      const pair = new LogisticNormal({ loc: 0.3, scale: 1.2 });
      expect([pair.batchShape, pair.eventShape]).toEqual([[], [2]]);
      tf.dispose([x, sums, min, logp]);
      d.dispose();
      pair.dispose();
    });
  });

  it('rsample gradients agree with finite differences', () => {
    const loc = tf.tensor([0.2, -0.4]);
    const scale = tf.tensor([0.7, 1.1]);
    checkRsampleGradient((x) => new LogisticNormal({ loc: x, scale, validateArgs: false }), loc);
    checkRsampleGradient((x) => new LogisticNormal({ loc, scale: x, validateArgs: false }), scale);
    tf.dispose([loc, scale]);
  });

  it('its density integrates to 1 over the 2-simplex (midpoint rule, 500 x 500 cells)', async () => {
    await expectNoLeaks(() => {
      const d = new LogisticNormal({ loc: [0.2, -0.3], scale: [0.6, 0.8] });
      const n = 500;
      const h = 1 / n;
      const points: number[][] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; i + j < n - 1; j++) {
          const [a, b] = [(i + 0.5) * h, (j + 0.5) * h];
          points.push([a, b, 1 - a - b]);
        }
      }
      let total = 0;
      for (let start = 0; start < points.length; start += 20000) {
        const chunk = tf.tensor2d(points.slice(start, start + 20000));
        total += tf.tidy(() => tf.sum(tf.exp(d.logProb(chunk))).dataSync()[0]!) * h * h;
        chunk.dispose();
      }
      // Cells cut by the edge a + b = 1 are left out; the density vanishes there.
      expect(Math.abs(total - 1)).toBeLessThan(1e-4);
      d.dispose();
    });
  });
});
