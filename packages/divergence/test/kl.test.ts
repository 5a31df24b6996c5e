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
import { crossEntropy, entropy, kl, VaeError } from '../src/index.js';
import { probabilityVector, probabilityVectorPair } from './arbitraries.js';

const cases = torchReference().discrete;
const value = (x: tf.Tensor) => x.dataSync()[0]!;

describe('kl', () => {
  it.each(cases.map((c, i) => [i, c] as const))('matches torch on discrete case %i', (_, c) => {
    const p = tf.tensor(c.p);
    const q = tf.tensor(c.q);
    expectClose(kl(p, q), flatNumbers(c.kl));
    expectClose(kl(q, p), flatNumbers(c.reverse_kl));
  });

  it('batches over leading axes and broadcasts', () => {
    const p = tf.tensor([
      [0.2, 0.3, 0.5],
      [0.6, 0.4, 0],
    ]);
    const q = tf.tensor([0.3, 0.3, 0.4]);
    const batched = kl(p, q);
    expect(batched.shape).toEqual([2]);
    const rows = tf.unstack(p);
    expectClose(batched, [value(kl(rows[0]!, q)), value(kl(rows[1]!, q))]);
    const across = kl(tf.transpose(p), tf.reshape(q, [3, 1]), { axis: 0 });
    expectClose(across, batched);
  });

  it('is 0 log 0 = 0 where p is 0 and Infinity where p > 0 = q', () => {
    expectClose(kl(tf.tensor([0.5, 0.5, 0]), tf.tensor([0.5, 0.5, 0])), 0);
    expect(value(kl(tf.tensor([0.5, 0.5, 0]), tf.tensor([1, 0, 0])))).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('has finite gradients at zero probabilities', () => {
    const q = tf.tensor([0.25, 0.25, 0.5]);
    const [gp, gq] = tf.grads((p: tf.Tensor, qq: tf.Tensor) => tf.sum(kl(p, qq)))([
      tf.tensor([0.5, 0.5, 0]),
      q,
    ]);
    for (const g of [gp!, gq!]) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    const gq2 = tf.grad((qq: tf.Tensor) => tf.sum(kl(tf.tensor([0.5, 0.5, 0]), qq)))(
      tf.tensor([0.5, 0.5, 0]),
    );
    expect(Array.from(gq2.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('matches finite differences in p and q', () => {
    const p = tf.tensor([0.2, 0.5, 0.3]);
    const q = tf.tensor([0.4, 0.4, 0.2]);
    const options = { validateArgs: false };
    const fp = (x: tf.Tensor) => tf.sum(kl(x, q, options)) as tf.Scalar;
    const fq = (x: tf.Tensor) => tf.sum(kl(p, x, options)) as tf.Scalar;
    expectClose(tf.grad(fp)(p), numericGradient(fp, p, 1e-3), { rtol: 1e-2, atol: 1e-3 });
    expectClose(tf.grad(fq)(q), numericGradient(fq, q, 1e-3), { rtol: 1e-2, atol: 1e-3 });
    const logits = tf.tensor([[0.3, -1.2, 2.0, 0.1]]);
    const other = tf.tensor([[1.0, 0.0, -0.5, 0.7]]);
    const fl = (x: tf.Tensor) => tf.sum(kl(x, other, { logits: true })) as tf.Scalar;
    expectClose(tf.grad(fl)(logits), numericGradient(fl, logits, 1e-2), { rtol: 1e-2, atol: 1e-3 });
  });

  it('stays finite, with finite gradients, at logits of +-1e4', () => {
    const a = tf.tensor([1e4, -1e4, 0]);
    const b = tf.tensor([-1e4, 1e4, 0]);
    expectClose(kl(a, b, { logits: true }), 2e4);
    expectClose(kl(a, a, { logits: true }), 0);
    expect(Number.isFinite(value(entropy(a, { logits: true })))).toBe(true);
    expectClose(crossEntropy(a, b, { logits: true }), 2e4);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.add(
        tf.add(kl(x, y, { logits: true }), entropy(x, { logits: true })),
        crossEntropy(x, y, { logits: true }),
      ),
    )([a, b]);
    for (const g of [ga!, gb!]) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('treats -Infinity logits as zero probability', () => {
    const p = tf.tensor([0, Math.log(3), Number.NEGATIVE_INFINITY]);
    const q = tf.tensor([0, 0, 0]);
    expectClose(
      kl(p, q, { logits: true }),
      value(kl(tf.tensor([0.25, 0.75, 0]), tf.tensor([1 / 3, 1 / 3, 1 / 3]))),
    );
    expect(value(kl(q, p, { logits: true }))).toBe(Number.POSITIVE_INFINITY);
  });

  it('properties: KL >= 0, KL(p, p) = 0, KL = H(p, q) - H(p), logits form agrees', () => {
    fc.assert(
      fc.property(probabilityVectorPair(), ([p, q]) => {
        tf.tidy(() => {
          const pt = tf.tensor(p);
          const qt = tf.tensor(q);
          const d = value(kl(pt, qt));
          expect(d).toBeGreaterThanOrEqual(-1e-6);
          expectClose(kl(pt, pt), 0, { atol: 1e-6 });
          expectClose(d, value(crossEntropy(pt, qt)) - value(entropy(pt)), {
            rtol: 1e-4,
            atol: 1e-5,
          });
          expectClose(kl(tf.log(pt), tf.log(qt), { logits: true }), d, { rtol: 1e-4, atol: 1e-5 });
          // Logits are defined up to a constant per row.
          expectClose(kl(tf.add(tf.log(pt), 3), tf.sub(tf.log(qt), 2), { logits: true }), d, {
            rtol: 1e-3,
            atol: 1e-5,
          });
        });
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('entropy lies in [0, log k]', () => {
    fc.assert(
      fc.property(probabilityVector(), (p) => {
        const h = tf.tidy(() => value(entropy(tf.tensor(p))));
        expect(h).toBeGreaterThanOrEqual(-1e-6);
        expect(h).toBeLessThanOrEqual(Math.log(p.length) + 1e-5);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('rejects bad input with INVALID_ARGUMENT naming the function and argument', () => {
    const good = tf.tensor([
      [0.2, 0.3, 0.5],
      [0.2, 0.3, 0.5],
    ]);
    const expectError = (fn: () => unknown, message: string | RegExp) => {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(VaeError.isInstance(error), `expected a VaeError for ${message}`).toBe(true);
      expect((error as VaeError).code).toBe('INVALID_ARGUMENT');
      expect((error as VaeError).message).toMatch(message);
    };
    expectError(
      () =>
        kl(
          tf.tensor([
            [-0.1, 0.6, 0.5],
            [0.2, 0.3, 0.5],
          ]),
          good,
        ),
      'kl: `p` must hold probabilities in [0, 1], got a tensor of shape [2, 3] with min -0.1',
    );
    expectError(
      () =>
        kl(
          good,
          tf.tensor([
            [0.2, 0.3, 0.6],
            [0.2, 0.3, 0.5],
          ]),
        ),
      /kl: `q` must sum to 1 over axis 1, .* with a sum of 1.1/,
    );
    expectError(
      () =>
        kl(
          good,
          tf.tensor([
            [0.2, 0.3, Number.NaN],
            [0.2, 0.3, 0.5],
          ]),
        ),
      /kl: `q` must not contain NaN/,
    );
    expectError(
      () => kl(good, tf.tensor([0.5, 0.5])),
      'kl: `p` and `q` must have the same or broadcastable shapes, got [2, 3] and [2]',
    );
    expectError(
      () => kl(good, good, { axis: 2 }),
      /kl: `axis` must be an integer in \[-2, 1\] for rank-2 inputs, got 2/,
    );
    expectError(() => entropy(tf.scalar(1)), /entropy: inputs must have at least one axis/);
    expectError(
      () => crossEntropy(good, tf.tensor([[0, Number.POSITIVE_INFINITY, 1]]), { logits: true }),
      /crossEntropy: `q` must be logits without \+Infinity/,
    );
    expectError(
      () =>
        entropy(tf.tensor([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]), { logits: true }),
      /entropy: `p` must have a finite logit in every row/,
    );
    expectError(
      () => kl(['a', 'b'] as unknown as number[], good),
      /kl: `p` must hold numbers, got a tensor of dtype string/,
    );
  });

  it('skips the checks with validateArgs: false', () => {
    expect(() =>
      kl(tf.tensor([0.7, 0.7]), tf.tensor([0.5, 0.5]), { validateArgs: false }),
    ).not.toThrow();
  });

  it('leaks no tensors, also when it throws', async () => {
    const p = tf.tensor([[0.2, 0.3, 0.5]]);
    const q = tf.tensor([[0.3, 0.3, 0.4]]);
    await expectNoLeaks(() => kl(p, q));
    await expectNoLeaks(() => kl([0.5, 0.5], [0.2, 0.8]));
    await expectNoLeaks(() => kl(p, q, { logits: true }));
    await expectNoLeaks(() => entropy(p));
    await expectNoLeaks(() => entropy(p, { logits: true }));
    await expectNoLeaks(() => crossEntropy(p, q));
    await expectNoLeaks(() => crossEntropy(p, q, { logits: true }));
    await expectNoLeaks(() => tf.grad((x: tf.Tensor) => tf.sum(kl(x, q)))(p));
    const bad = tf.tensor([[2, -1, 0]]);
    await expectNoLeaks(() => {
      expect(() => kl(bad, q)).toThrow(/must hold probabilities/);
    });
    await expectNoLeaks(() => {
      expect(() => kl(p, q, { axis: 3 })).toThrow(/axis/);
    });
    tf.dispose([p, q, bad]);
  });
});

describe('entropy and crossEntropy', () => {
  it.each(cases.map((c, i) => [i, c] as const))('match torch on discrete case %i', (_, c) => {
    const p = tf.tensor(c.p);
    const q = tf.tensor(c.q);
    expectClose(entropy(p), flatNumbers(c.entropy_p));
    expectClose(crossEntropy(p, q), flatNumbers(c.cross_entropy));
  });

  it('entropy matches finite differences, from probabilities and from logits', () => {
    const p = tf.tensor([0.2, 0.5, 0.3]);
    const f = (x: tf.Tensor) => tf.sum(entropy(x, { validateArgs: false })) as tf.Scalar;
    expectClose(tf.grad(f)(p), numericGradient(f, p, 1e-3), { rtol: 1e-2, atol: 1e-3 });
    const logits = tf.tensor([[0.3, -1.2, 2.0]]);
    const g = (x: tf.Tensor) => tf.sum(entropy(x, { logits: true })) as tf.Scalar;
    expectClose(tf.grad(g)(logits), numericGradient(g, logits, 1e-2), { rtol: 1e-2, atol: 1e-3 });
  });

  it('crossEntropy matches finite differences in p, including at p = 0', () => {
    const q = tf.tensor([0.2, 0.5, 0.3]);
    const f = (x: tf.Tensor) => tf.sum(crossEntropy(x, q, { validateArgs: false })) as tf.Scalar;
    const p = tf.tensor([0.4, 0.6, 0]);
    expectClose(tf.grad(f)(p), [-Math.log(0.2), -Math.log(0.5), -Math.log(0.3)]);
  });
});
