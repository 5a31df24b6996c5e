import * as tf from '@tensorflow/tfjs-core';
import {
  expectClose,
  expectNoLeaks,
  flatNumbers,
  numericGradient,
  torchReference,
} from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hellinger } from '../src/index.js';
import { probabilityVectorPair } from './arbitraries.js';
import { allFinite, expectInvalidArgument, value } from './helpers.js';

const cases = torchReference().discrete.filter((c) => c.hellinger !== undefined);

describe('hellinger', () => {
  it.each(cases.map((c, i) => [i, c] as const))('matches torch on discrete case %i', (_, c) => {
    expectClose(hellinger(tf.tensor(c.p), tf.tensor(c.q)), flatNumbers(c.hellinger!));
  });

  it('uses H = sqrt(1 - sum sqrt(p q))', () => {
    const p = [0.1, 0.6, 0.3];
    const q = [0.5, 0.2, 0.3];
    const bc = p.reduce((s, pi, i) => s + Math.sqrt(pi * q[i]!), 0);
    expectClose(hellinger(tf.tensor(p), tf.tensor(q)), Math.sqrt(1 - bc));
    expectClose(hellinger(tf.tensor([1, 0]), tf.tensor([0, 1])), 1);
  });

  it('properties: symmetric, in [0, 1], logits form agrees', () => {
    fc.assert(
      fc.property(probabilityVectorPair(), ([p, q]) => {
        tf.tidy(() => {
          const pt = tf.tensor(p);
          const qt = tf.tensor(q);
          const d = value(hellinger(pt, qt));
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(1 + 1e-6);
          expectClose(hellinger(qt, pt), d, { atol: 1e-6 });
          expectClose(hellinger(tf.log(pt), tf.log(qt), { logits: true }), d, { atol: 1e-5 });
        });
      }),
      { numRuns: 30, seed: 13 },
    );
  });

  it('has finite gradients at zeros and at p = q, and matches finite differences', () => {
    const [gp, gq] = tf.grads((p: tf.Tensor, q: tf.Tensor) => hellinger(p, q))([
      tf.tensor([0.5, 0.5, 0]),
      tf.tensor([0.5, 0.5, 0]),
    ]);
    expect(allFinite(gp!, gq!)).toBe(true);
    const b = tf.tensor([0.3, 0.3, 0.4]);
    const f = (x: tf.Tensor) => hellinger(x, b, { validateArgs: false }) as tf.Scalar;
    const a = tf.tensor([0.2, 0.5, 0.3]);
    expectClose(tf.grad(f)(a), numericGradient(f, a, 1e-3), { rtol: 1e-2, atol: 1e-3 });
    const big = tf.tensor([1e4, -1e4, 0]);
    const g = tf.grad((x: tf.Tensor) => hellinger(x, tf.tensor([-1e4, 1e4, 0]), { logits: true }))(
      big,
    );
    expect(allFinite(g)).toBe(true);
  });

  it('rejects bad input and leaks no tensors', async () => {
    expectInvalidArgument(
      () => hellinger(tf.tensor([[0.5, 0.5]]), tf.tensor([[0.5, 0.5, 0]])),
      'hellinger: `p` and `q` must have the same or broadcastable shapes, got [1, 2] and [1, 3]',
    );
    const p = tf.tensor([[0.2, 0.8]]);
    await expectNoLeaks(() => hellinger(p, p));
    await expectNoLeaks(() => hellinger(p, p, { logits: true }));
    p.dispose();
  });
});
