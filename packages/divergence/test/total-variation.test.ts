import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, flatNumbers, torchReference } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { totalVariation } from '../src/index.js';
import { probabilityVectorPair } from './arbitraries.js';
import { expectInvalidArgument, value } from './helpers.js';

const cases = torchReference().discrete.filter((c) => c.total_variation !== undefined);

describe('totalVariation', () => {
  it.each(cases.map((c, i) => [i, c] as const))('matches torch on discrete case %i', (_, c) => {
    expectClose(totalVariation(tf.tensor(c.p), tf.tensor(c.q)), flatNumbers(c.total_variation!));
  });

  it('properties: symmetric, in [0, 1], 0 for p = p, logits form agrees', () => {
    fc.assert(
      fc.property(probabilityVectorPair(), ([p, q]) => {
        tf.tidy(() => {
          const pt = tf.tensor(p);
          const qt = tf.tensor(q);
          const d = value(totalVariation(pt, qt));
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(1 + 1e-6);
          expectClose(totalVariation(qt, pt), d);
          expectClose(totalVariation(pt, pt), 0);
          expectClose(totalVariation(tf.log(pt), tf.log(qt), { logits: true }), d, { atol: 1e-6 });
        });
      }),
      { numRuns: 30, seed: 9 },
    );
  });

  it('has the gradient sign(p - q) / 2', () => {
    const q = tf.tensor([0.5, 0.25, 0.25]);
    const g = tf.grad((p: tf.Tensor) => totalVariation(p, q, { validateArgs: false }))(
      tf.tensor([0.2, 0.3, 0.5]),
    );
    expectClose(g, [-0.5, 0.5, 0.5]);
  });

  it('rejects bad input and leaks no tensors', async () => {
    expectInvalidArgument(
      () => totalVariation(tf.tensor([1.5, -0.5]), tf.tensor([0.5, 0.5])),
      'totalVariation: `p` must hold probabilities in [0, 1], got a tensor of shape [2] with min -0.5',
    );
    const p = tf.tensor([[0.2, 0.8]]);
    await expectNoLeaks(() => totalVariation(p, p));
    await expectNoLeaks(() => totalVariation(p, p, { logits: true }));
    p.dispose();
  });
});
