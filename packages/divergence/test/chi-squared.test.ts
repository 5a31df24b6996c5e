import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquared, kl } from '../src/index.js';
import { probabilityVectorPair } from './arbitraries.js';
import { allFinite, expectInvalidArgument, value } from './helpers.js';

describe('chiSquared', () => {
  it('is sum (p - q)^2 / q, 0 for p = q, Infinity where p > 0 = q', () => {
    expectClose(
      chiSquared(tf.tensor([0.5, 0.5]), tf.tensor([0.25, 0.75])),
      0.0625 / 0.25 + 0.0625 / 0.75,
    );
    expectClose(chiSquared(tf.tensor([0.5, 0.5, 0]), tf.tensor([0.5, 0.5, 0])), 0);
    expectClose(
      chiSquared(tf.tensor([0.5, 0.5, 0]), tf.tensor([0.25, 0.25, 0.5])),
      0.0625 * 8 + 0.5,
    );
    expect(value(chiSquared(tf.tensor([0.5, 0.5]), tf.tensor([1, 0])))).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('properties: >= 0, bounds KL by ln(1 + chi^2), logits form agrees', () => {
    fc.assert(
      fc.property(probabilityVectorPair(), ([p, q]) => {
        tf.tidy(() => {
          const pt = tf.tensor(p);
          const qt = tf.tensor(q);
          const d = value(chiSquared(pt, qt));
          expect(d).toBeGreaterThanOrEqual(0);
          expect(value(kl(pt, qt))).toBeLessThanOrEqual(Math.log1p(d) + 1e-5);
          expectClose(chiSquared(tf.log(pt), tf.log(qt), { logits: true }), d, {
            rtol: 1e-3,
            atol: 1e-5,
          });
        });
      }),
      { numRuns: 30, seed: 17 },
    );
  });

  it('matches finite differences and has finite gradients at zeros', () => {
    const q = tf.tensor([0.3, 0.3, 0.4]);
    const f = (x: tf.Tensor) => chiSquared(x, q, { validateArgs: false }) as tf.Scalar;
    const p = tf.tensor([0.2, 0.5, 0.3]);
    expectClose(tf.grad(f)(p), numericGradient(f, p, 1e-3), { rtol: 1e-2, atol: 1e-3 });
    const [gp, gq] = tf.grads((a: tf.Tensor, b: tf.Tensor) => chiSquared(a, b))([
      tf.tensor([0.5, 0.5, 0]),
      tf.tensor([0.5, 0.5, 0]),
    ]);
    expect(allFinite(gp!, gq!)).toBe(true);
  });

  it('rejects bad input and leaks no tensors', async () => {
    expectInvalidArgument(
      () => chiSquared(tf.tensor([0.5, 0.5]), tf.tensor([Number.NaN, 0.5])),
      'chiSquared: `q` must not contain NaN, got a tensor of shape [2] with 1 NaN',
    );
    const p = tf.tensor([[0.2, 0.8]]);
    await expectNoLeaks(() => chiSquared(p, p));
    await expectNoLeaks(() => chiSquared(p, p, { logits: true }));
    p.dispose();
  });
});
