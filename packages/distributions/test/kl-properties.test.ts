import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Bernoulli,
  ContinuousBernoulli,
  type Distribution,
  Exponential,
  Gumbel,
  Independent,
  klDivergence,
  Laplace,
  LogNormal,
  Normal,
  OneHotCategorical,
  Uniform,
} from '../src/index.js';
import { checkKlMonteCarlo } from './helpers/properties.js';

const real = fc.double({ min: -3, max: 3, noNaN: true });
const positive = fc.double({ min: 0.2, max: 3, noNaN: true });
const prob = fc.double({ min: 0.02, max: 0.98, noNaN: true });

/** Families with a same-family KL, each built from a random parameter vector. */
const families: Record<
  string,
  { arbitrary: fc.Arbitrary<number[]>; make: (v: number[]) => Distribution }
> = {
  Normal: {
    arbitrary: fc.tuple(real, positive),
    make: ([loc, scale]) => new Normal({ loc: loc!, scale: scale! }),
  },
  Laplace: {
    arbitrary: fc.tuple(real, positive),
    make: ([loc, scale]) => new Laplace({ loc: loc!, scale: scale! }),
  },
  Gumbel: {
    arbitrary: fc.tuple(real, positive),
    make: ([loc, scale]) => new Gumbel({ loc: loc!, scale: scale! }),
  },
  LogNormal: {
    arbitrary: fc.tuple(real, positive),
    make: ([loc, scale]) => new LogNormal({ loc: loc!, scale: scale! }),
  },
  Exponential: {
    arbitrary: fc.tuple(positive),
    make: ([rate]) => new Exponential({ rate: rate! }),
  },
  Bernoulli: { arbitrary: fc.tuple(prob), make: ([p]) => new Bernoulli({ probs: p! }) },
  ContinuousBernoulli: {
    arbitrary: fc.tuple(prob),
    make: ([p]) => new ContinuousBernoulli({ probs: p! }),
  },
  OneHotCategorical: {
    arbitrary: fc.tuple(positive, positive, positive),
    make: (v) => new OneHotCategorical({ probs: v }),
  },
  Uniform: {
    arbitrary: fc.tuple(real, positive),
    make: ([low, width]) => new Uniform({ low: low!, high: low! + width! }),
  },
};

function kl(p: Distribution, q: Distribution): number {
  const value = klDivergence(p, q);
  const result = value.dataSync()[0]!;
  value.dispose();
  return result;
}

describe('KL properties (fast-check, 40 random pairs per family)', () => {
  for (const [name, family] of Object.entries(families)) {
    it(`${name}: KL(p, p) = 0 and KL(p, q) >= 0`, async () => {
      await expectNoLeaks(() => {
        fc.assert(
          fc.property(family.arbitrary, family.arbitrary, (a, b) => {
            const p = family.make(a);
            const q = family.make(b);
            const self = kl(p, p);
            const pq = kl(p, q);
            p.dispose();
            q.dispose();
            expect(Math.abs(self)).toBeLessThan(1e-4);
            expect(pq).toBeGreaterThanOrEqual(-1e-4);
          }),
          { numRuns: 40, seed: 7 },
        );
      });
    });
  }

  it('Independent: KL sums the base KL over reinterpreted axes', async () => {
    await expectNoLeaks(() => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(real, positive, real, positive), { minLength: 1, maxLength: 5 }),
          (rows) => {
            const p = new Independent(
              new Normal({ loc: rows.map((r) => r[0]), scale: rows.map((r) => r[1]) }),
              1,
            );
            const q = new Independent(
              new Normal({ loc: rows.map((r) => r[2]), scale: rows.map((r) => r[3]) }),
              1,
            );
            const total = kl(p, q);
            const parts = klDivergence(p.base, q.base);
            const sum = Array.from(parts.dataSync()).reduce((a, b) => a + b, 0);
            parts.dispose();
            for (const d of [p.base, q.base]) d.dispose();
            expect(Math.abs(total - sum)).toBeLessThan(1e-4 * (1 + Math.abs(sum)));
          },
        ),
        { numRuns: 30, seed: 11 },
      );
    });
  });
});

describe('cross-family KL agrees with Monte Carlo (20000 draws, 5 standard errors)', () => {
  it('ContinuousBernoulli to Normal, Exponential and Uniform; Uniform to ContinuousBernoulli', async () => {
    await expectNoLeaks(() => {
      const cb = new ContinuousBernoulli({ probs: [0.2, 0.7] });
      const normal = new Normal({ loc: [0.5, 0], scale: [0.5, 2] });
      const exponential = new Exponential({ rate: [1, 3] });
      const uniform = new Uniform({ low: [-0.5, 0], high: [1, 2] });
      const inner = new Uniform({ low: [0.1, 0.3], high: [0.5, 1] });
      checkKlMonteCarlo(cb, normal);
      checkKlMonteCarlo(cb, exponential);
      checkKlMonteCarlo(cb, uniform);
      checkKlMonteCarlo(inner, cb);
      const inf = klDivergence(uniform, cb);
      expect(Array.from(inf.dataSync())).toEqual([Infinity, Infinity]);
      const normalToCb = klDivergence(normal, cb);
      expect(Array.from(normalToCb.dataSync())).toEqual([Infinity, Infinity]);
      tf.dispose([inf, normalToCb]);
      for (const d of [cb, normal, exponential, uniform, inner]) d.dispose();
    });
  });

  it('Normal to Gumbel, Laplace to Normal, Exponential to Normal', async () => {
    await expectNoLeaks(() => {
      const normal = new Normal({ loc: [0.5, -1], scale: [0.7, 1.5] });
      const gumbel = new Gumbel({ loc: [0, 0], scale: [1, 2] });
      const laplace = new Laplace({ loc: [1, 0], scale: [0.5, 1] });
      const exponential = new Exponential({ rate: [2, 0.5] });
      checkKlMonteCarlo(normal, gumbel);
      checkKlMonteCarlo(laplace, normal);
      checkKlMonteCarlo(exponential, normal);
      for (const d of [normal, gumbel, laplace, exponential]) d.dispose();
    });
  });
});
