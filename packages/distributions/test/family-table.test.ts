// Table-driven checks over every family in this file's table: broadcasting of parameter
// shapes, shapes of every member, no leaks, and logProb gradients against finite differences.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Bernoulli,
  ContinuousBernoulli,
  type Distribution,
  Exponential,
  Gumbel,
  Laplace,
  LogNormal,
  Normal,
  Uniform,
} from '../src/index.js';

/** Builds a distribution from `a` (any real) and `b` (positive); `extra` are tensors it made. */
type Make = (a: tf.Tensor, b: tf.Tensor) => { d: Distribution; extra?: tf.Tensor[] };

const families: { name: string; make: Make; uses: ('a' | 'b')[]; value: number }[] = [
  {
    name: 'Normal',
    make: (a, b) => ({ d: new Normal({ loc: a, scale: b }) }),
    uses: ['a', 'b'],
    value: 0.3,
  },
  {
    name: 'Laplace',
    make: (a, b) => ({ d: new Laplace({ loc: a, scale: b }) }),
    uses: ['a', 'b'],
    value: 0.3,
  },
  {
    name: 'Gumbel',
    make: (a, b) => ({ d: new Gumbel({ loc: a, scale: b }) }),
    uses: ['a', 'b'],
    value: 0.3,
  },
  {
    name: 'LogNormal',
    make: (a, b) => ({ d: new LogNormal({ loc: a, scale: b }) }),
    uses: ['a', 'b'],
    value: 1.3,
  },
  {
    name: 'Uniform',
    make: (a, b) => {
      const low = tf.sub(a, 2);
      const high = tf.add(b, 2);
      return { d: new Uniform({ low, high }), extra: [low, high] };
    },
    uses: ['a', 'b'],
    value: 0.3,
  },
  {
    name: 'Exponential',
    make: (_a, b) => ({ d: new Exponential({ rate: b }) }),
    uses: ['b'],
    value: 0.3,
  },
  { name: 'Bernoulli', make: (a) => ({ d: new Bernoulli({ logits: a }) }), uses: ['a'], value: 1 },
  {
    name: 'ContinuousBernoulli',
    make: (a) => ({ d: new ContinuousBernoulli({ logits: a }) }),
    uses: ['a'],
    value: 0.3,
  },
];

const shapes: { a: number[]; b: number[]; batch: number[] }[] = [
  { a: [], b: [], batch: [] },
  { a: [3], b: [], batch: [3] },
  { a: [], b: [3], batch: [3] },
  { a: [2, 1], b: [3], batch: [2, 3] },
  { a: [4, 1, 1], b: [2, 1], batch: [4, 2, 1] },
];

describe.each(families)('$name', ({ name, make, uses, value }) => {
  it.each(shapes)('broadcasts parameters $a and $b to batch $batch', async ({ a, b, batch }) => {
    await expectNoLeaks(() => {
      const pa = tf.fill(a, 0.2);
      const pb = tf.fill(b, 1.5);
      const { d, extra = [] } = make(pa, pb);
      const expected = uses.length === 2 ? batch : uses[0] === 'a' ? a : b;
      expect(d.batchShape).toEqual(expected);
      const s = d.sample([2], 1);
      expect(s.shape).toEqual([2, ...expected]);
      const x = tf.fill([2, ...expected], value);
      const lp = d.logProb(x);
      expect(lp.shape).toEqual([2, ...expected]);
      for (const t of [d.entropy(), d.mean(), d.variance(), d.stddev()]) {
        expect(t.shape).toEqual(expected);
        t.dispose();
      }
      d.dispose();
      tf.dispose([s, x, lp, pa, pb, ...extra]);
    });
  });

  it('logProb gradients agree with finite differences', () => {
    const a = tf.tensor([0.4, -0.3]);
    const b = tf.tensor([0.8, 1.7]);
    const x = tf.tensor(name === 'Bernoulli' ? [1, 0] : [value, value * 0.5]);
    const fa = (t: tf.Tensor) => tf.tidy(() => tf.sum(make(t, b).d.logProb(x)) as tf.Scalar);
    const fb = (t: tf.Tensor) => tf.tidy(() => tf.sum(make(a, t).d.logProb(x)) as tf.Scalar);
    const pairs = [
      ['a', fa, a],
      ['b', fb, b],
    ] as const;
    for (const [, f, p] of pairs.filter(([key]) => uses.includes(key))) {
      const analytic = tf.grad(f)(p);
      expectClose(analytic, numericGradient(f, p, 1e-2), { rtol: 1e-2, atol: 2e-3 });
      analytic.dispose();
    }
    tf.dispose([a, b, x]);
  });
});
