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
import { jensenShannon, kl } from '../src/index.js';
import { probabilityVectorPair } from './arbitraries.js';
import { allFinite, expectInvalidArgument, value } from './helpers.js';

const cases = torchReference().discrete.filter((c) => c.js !== undefined);

describe('jensenShannon', () => {
  it.each(cases.map((c, i) => [i, c] as const))('matches torch on discrete case %i', (_, c) => {
    expectClose(jensenShannon(tf.tensor(c.p), tf.tensor(c.q)), flatNumbers(c.js!));
  });

  it('is ln 2 for disjoint supports, with finite gradients', () => {
    expectClose(jensenShannon(tf.tensor([1, 0]), tf.tensor([0, 1])), Math.LN2);
    const [gp, gq] = tf.grads((p: tf.Tensor, q: tf.Tensor) => jensenShannon(p, q))([
      tf.tensor([0.3, 0.7, 0]),
      tf.tensor([0.3, 0, 0.7]),
    ]);
    expect(allFinite(gp!, gq!)).toBe(true);
  });

  it('equals KL to the mixture', () => {
    const p = tf.tensor([0.1, 0.6, 0.3]);
    const q = tf.tensor([0.5, 0.2, 0.3]);
    const m = tf.mul(0.5, tf.add(p, q));
    expectClose(jensenShannon(p, q), 0.5 * (value(kl(p, m)) + value(kl(q, m))));
  });

  it('properties: symmetric, in [0, ln 2], logits form agrees', () => {
    fc.assert(
      fc.property(probabilityVectorPair(), ([p, q]) => {
        tf.tidy(() => {
          const pt = tf.tensor(p);
          const qt = tf.tensor(q);
          const d = value(jensenShannon(pt, qt));
          expect(d).toBeGreaterThanOrEqual(-1e-6);
          expect(d).toBeLessThanOrEqual(Math.LN2 + 1e-6);
          expectClose(jensenShannon(qt, pt), d, { atol: 1e-6 });
          expectClose(jensenShannon(tf.log(pt), tf.log(qt), { logits: true }), d, { atol: 1e-5 });
        });
      }),
      { numRuns: 30, seed: 5 },
    );
  });

  it('matches finite differences in logits and is finite at logits of +-1e4', () => {
    const a = tf.tensor([0.4, -1.0, 1.5]);
    const b = tf.tensor([1.0, 0.2, -0.3]);
    const f = (x: tf.Tensor) => jensenShannon(x, b, { logits: true }) as tf.Scalar;
    expectClose(tf.grad(f)(a), numericGradient(f, a, 1e-2), { rtol: 1e-2, atol: 1e-3 });
    const big = tf.tensor([1e4, -1e4, 0]);
    const small = tf.tensor([-1e4, 1e4, 0]);
    expectClose(jensenShannon(big, small, { logits: true }), Math.LN2, { atol: 1e-5 });
    const g = tf.grad((x: tf.Tensor) => jensenShannon(x, small, { logits: true }))(big);
    expect(allFinite(g)).toBe(true);
  });

  it('rejects bad input and leaks no tensors', async () => {
    expectInvalidArgument(
      () => jensenShannon(tf.tensor([0.5, 0.6]), tf.tensor([0.5, 0.5])),
      /^jensenShannon: `p` must sum to 1 over axis 0/,
    );
    const p = tf.tensor([[0.2, 0.8]]);
    await expectNoLeaks(() => jensenShannon(p, p));
    await expectNoLeaks(() => jensenShannon(p, p, { logits: true }));
    p.dispose();
  });
});
