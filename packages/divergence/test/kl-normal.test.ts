import * as tf from '@tensorflow/tfjs-core';
import {
  backendTolerance,
  expectClose,
  expectNoLeaks,
  flatNumbers,
  type KlCase,
  numericGradient,
  torchReference,
} from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { klNormal, klStandardNormal, VaeError } from '../src/index.js';

const klCases = (type: string): KlCase[] =>
  torchReference().kl.filter((c) => c.p.type === type && c.q.type === type);
const param = (c: KlCase, side: 'p' | 'q', name: string) =>
  tf.tensor(flatNumbers(c[side].params[name]!), [
    ...tf.tensor(c[side].params[name] as number[]).shape,
  ]);

/** log N(x; loc, scale), written out independently of the code under test. */
function normalLogProb(
  x: tf.Tensor,
  loc: tf.Tensor | number,
  scale: tf.Tensor | number,
): tf.Tensor {
  const z = tf.div(tf.sub(x, loc), scale);
  return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(scale), 0.5 * Math.log(2 * Math.PI)));
}

describe('klNormal', () => {
  it('matches torch for Normal || Normal', () => {
    const cases = klCases('Normal');
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const p = { loc: param(c, 'p', 'loc'), scale: param(c, 'p', 'scale') };
      const q = { loc: param(c, 'q', 'loc'), scale: param(c, 'q', 'scale') };
      expectClose(klNormal(p, q), flatNumbers(c.kl));
      // The same through log-variances, and mixed.
      const pv = { loc: p.loc, logVariance: tf.mul(2, tf.log(p.scale)) };
      const qv = { loc: q.loc, logVariance: tf.mul(2, tf.log(q.scale)) };
      expectClose(klNormal(pv, qv), flatNumbers(c.kl));
      expectClose(klNormal(p, qv), flatNumbers(c.kl));
    }
  });

  it('matches torch for DiagNormal || DiagNormal, summed over the last axis', () => {
    const cases = klCases('DiagNormal');
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const p = { loc: param(c, 'p', 'loc'), scale: param(c, 'p', 'scale') };
      const q = { loc: param(c, 'q', 'loc'), scale: param(c, 'q', 'scale') };
      expectClose(tf.sum(klNormal(p, q), -1), flatNumbers(c.kl));
    }
  });

  it('accepts numbers, broadcasts, and is not symmetric', () => {
    expectClose(klNormal({ loc: 0, scale: 1 }, { loc: 1, scale: 2 }), Math.log(2) + 2 / 8 - 0.5);
    expectClose(klNormal({ loc: 1, scale: 2 }, { loc: 0, scale: 1 }), -Math.log(2) + 5 / 2 - 0.5);
    const wide = klNormal(
      { loc: tf.zeros([2, 3]), scale: 1 },
      { loc: tf.tensor([0, 1, 2]), scale: 1 },
    );
    expect(wide.shape).toEqual([2, 3]);
    expectClose(wide, [0, 0.5, 2, 0, 0.5, 2]);
  });

  it('matches finite differences in every parameter', () => {
    const x = tf.tensor([0.3, -0.7, 0.2, 0.5, 1.1, -0.4]);
    const f = (t: tf.Tensor) => {
      const [m1, s1, m2, v2] = tf.unstack(tf.reshape(t, [4, -1]) as tf.Tensor2D) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      return tf.sum(
        klNormal(
          { loc: m1, scale: tf.exp(s1) },
          { loc: m2, logVariance: v2 },
          { validateArgs: false },
        ),
      ) as tf.Scalar;
    };
    const t = tf.concat([x, tf.tensor([0.1, -0.2])]);
    expectClose(tf.grad(f)(t), numericGradient(f, t, 1e-3), { rtol: 1e-2, atol: 1e-3 });
  });

  it('agrees with a Monte Carlo estimate (200k samples, seed 42, 4 standard errors)', () => {
    const p = { loc: 0.5, scale: 1.3 };
    const q = { loc: -0.2, scale: 0.8 };
    const x = tf.add(tf.mul(tf.randomNormal([200_000], 0, 1, 'float32', 42), p.scale), p.loc);
    const diff = tf.sub(normalLogProb(x, p.loc, p.scale), normalLogProb(x, q.loc, q.scale));
    const estimate = tf.mean(diff).dataSync()[0]!;
    const sd = Math.sqrt(tf.moments(diff).variance.dataSync()[0]!);
    const exact = klNormal(p, q).dataSync()[0]!;
    expect(Math.abs(estimate - exact)).toBeLessThan((4 * sd) / Math.sqrt(200_000));
  });

  it('rejects bad parameters with INVALID_ARGUMENT naming the function and argument', () => {
    expect(() =>
      klNormal({ loc: 0, scale: tf.tensor([1, -0.3, 2, 1]) }, { loc: 0, scale: 1 }),
    ).toThrowError('klNormal: `p.scale` must be positive, got a tensor of shape [4] with min -0.3');
    expect(() => klNormal({ loc: 0, scale: 1 }, { loc: Number.NaN, scale: 1 })).toThrowError(
      'klNormal: `q.loc` must not contain NaN, got NaN',
    );
    expect(() =>
      klNormal({ loc: 0, scale: 1 }, { loc: 0, logVariance: Number.POSITIVE_INFINITY }),
    ).toThrowError('klNormal: `q.logVariance` must be finite, got Infinity');
    let error: unknown;
    try {
      klNormal({ loc: tf.zeros([2]), scale: 1 }, { loc: tf.zeros([3]), scale: 1 });
    } catch (e) {
      error = e;
    }
    expect(VaeError.isInstance(error) && error.code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toBe(
      'klNormal: `p.loc` and `p.scale` and `q.loc` and `q.scale` must have the same or broadcastable shapes, got [2] and [] and [3] and []',
    );
  });

  it('leaks no tensors', async () => {
    const loc = tf.tensor([0.1, 0.2]);
    await expectNoLeaks(() => klNormal({ loc, scale: 1 }, { loc: 0, logVariance: 0.5 }));
    await expectNoLeaks(() => {
      expect(() => klNormal({ loc, scale: -1 }, { loc, scale: 1 })).toThrow(/positive/);
    });
    loc.dispose();
  });
});

describe('klStandardNormal', () => {
  it('stays accurate as the posterior nears the prior (e^v - 1 - v without cancellation)', () => {
    // In float32, exp(v) - 1 - v at v ~ 1e-4 keeps no correct digit; the result must
    // match float64 at the float32 value of v to 1e-5 relative.
    const v = [1e-4, -3e-4, 1e-6, 0.3, -0.49, 0.51, 4];
    const exact = v.map((x) => {
      const f = Math.fround(x);
      return 0.5 * (Math.expm1(f) - f);
    });
    const kl = klStandardNormal(tf.zeros([7, 1]), tf.tensor2d(v, [7, 1]));
    expectClose(kl, exact, { rtol: backendTolerance({ rtol: 1e-5 }).rtol, atol: 0 });
    const pair = klNormal({ loc: 0, logVariance: 2e-4 }, { loc: 0, logVariance: 1e-4 });
    const d = Math.fround(2e-4) - Math.fround(1e-4);
    expectClose(pair, 0.5 * (Math.expm1(d) - d), {
      rtol: backendTolerance({ rtol: 1e-3 }).rtol,
      atol: 0,
    });
    tf.dispose([kl, pair]);
  });

  it('equals klNormal against N(0, 1) summed over the latent axis', () => {
    const loc = tf.tensor([
      [0.3, -1.2, 0.8],
      [0.0, 2.0, -0.5],
    ]);
    const logVariance = tf.tensor([
      [-0.5, 0.2, 1.1],
      [0.0, -2.0, 0.4],
    ]);
    const closed = klStandardNormal(loc, logVariance);
    expect(closed.shape).toEqual([2]);
    expectClose(closed, tf.sum(klNormal({ loc, logVariance }, { loc: 0, scale: 1 }), -1));
    expectClose(
      klStandardNormal(tf.transpose(loc), tf.transpose(logVariance), { axis: 0 }),
      closed,
    );
    expectClose(klStandardNormal(tf.zeros([4, 5]), tf.zeros([4, 5])), [0, 0, 0, 0]);
  });

  it('agrees with Monte Carlo over a diagonal posterior (100k samples, seed 3)', () => {
    const loc = tf.tensor([0.4, -0.9]);
    const logVariance = tf.tensor([-0.3, 0.6]);
    const scale = tf.exp(tf.mul(0.5, logVariance));
    const z = tf.add(tf.mul(tf.randomNormal([100_000, 2], 0, 1, 'float32', 3), scale), loc);
    const diff = tf.sum(tf.sub(normalLogProb(z, loc, scale), normalLogProb(z, 0, 1)), -1);
    const estimate = tf.mean(diff).dataSync()[0]!;
    const sd = Math.sqrt(tf.moments(diff).variance.dataSync()[0]!);
    const exact = klStandardNormal(loc, logVariance).dataSync()[0]!;
    expect(Math.abs(estimate - exact)).toBeLessThan((4 * sd) / Math.sqrt(100_000));
  });

  it('matches finite differences', () => {
    const t = tf.tensor([0.3, -0.7, 0.2, 0.5, 1.1, -0.4]);
    const f = (x: tf.Tensor) => {
      const [m, v] = tf.split(x, 2) as [tf.Tensor, tf.Tensor];
      return klStandardNormal(m, v, { validateArgs: false }) as tf.Scalar;
    };
    expectClose(tf.grad(f)(t), numericGradient(f, t, 1e-3), { rtol: 1e-2, atol: 1e-3 });
  });

  it('rejects bad input and leaks no tensors', async () => {
    const m = tf.zeros([2, 3]);
    expect(() => klStandardNormal(m, tf.zeros([2, 4]))).toThrowError(
      'klStandardNormal: `loc` and `logVariance` must have the same or broadcastable shapes, got [2, 3] and [2, 4]',
    );
    expect(() => klStandardNormal(m, tf.fill([2, 3], Number.NaN))).toThrowError(
      'klStandardNormal: `logVariance` must not contain NaN, got a tensor of shape [2, 3] with 6 NaN',
    );
    await expectNoLeaks(() => klStandardNormal(m, 0));
    await expectNoLeaks(() => {
      expect(() => klStandardNormal(m, m, { axis: 5 })).toThrow(/axis/);
    });
    m.dispose();
  });
});
