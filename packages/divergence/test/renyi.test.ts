import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { chiSquared, hellinger, kl, renyi, seededUniform } from '../src/index.js';
import { probabilityVectorPair } from './arbitraries.js';
import { allFinite, expectInvalidArgument, value } from './helpers.js';

let p: tf.Tensor;
let q: tf.Tensor;

beforeAll(() => {
  p = tf.tensor([0.5, 0.3, 0.2]);
  q = tf.tensor([0.2, 0.3, 0.5]);
});

describe('renyi', () => {
  it('has the known special orders', () => {
    expectClose(renyi(p, q, { alpha: 1 }), value(kl(p, q)));
    // alpha = 1/2: -2 log BC, and BC = 1 - H^2.
    const h = value(hellinger(p, q));
    expectClose(renyi(p, q, { alpha: 0.5 }), -2 * Math.log(1 - h * h));
    expectClose(renyi(p, q, { alpha: 2 }), Math.log1p(value(chiSquared(p, q))));
    expectClose(renyi(p, q, { alpha: Number.POSITIVE_INFINITY }), Math.log(0.5 / 0.2));
    expectClose(
      renyi(tf.tensor([0.5, 0.5, 0]), tf.tensor([0.2, 0.3, 0.5]), { alpha: 0 }),
      -Math.log(0.5),
    );
  });

  it('handles supports: infinite for alpha > 1 where p > 0 = q, finite below', () => {
    const a = tf.tensor([0.5, 0.5, 0]);
    const b = tf.tensor([0.5, 0, 0.5]);
    expect(value(renyi(a, b, { alpha: 2 }))).toBe(Number.POSITIVE_INFINITY);
    expect(value(renyi(a, b, { alpha: Number.POSITIVE_INFINITY }))).toBe(Number.POSITIVE_INFINITY);
    expectClose(renyi(a, b, { alpha: 0.5 }), -2 * Math.log(0.5));
    expect(value(renyi(tf.tensor([1, 0]), tf.tensor([0, 1]), { alpha: 0.5 }))).toBe(
      Number.POSITIVE_INFINITY,
    );
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => renyi(x, y, { alpha: 0.5 }))([a, b]);
    expect(allFinite(ga!, gb!)).toBe(true);
  });

  it('properties: tends to KL as alpha -> 1, nondecreasing in alpha, logits form agrees', () => {
    fc.assert(
      fc.property(probabilityVectorPair(), ([pa, qa]) => {
        tf.tidy(() => {
          const pt = tf.tensor(pa);
          const qt = tf.tensor(qa);
          const d = value(kl(pt, qt));
          expectClose(renyi(pt, qt, { alpha: 0.999 }), d, { rtol: 2e-2, atol: 2e-4 });
          expectClose(renyi(pt, qt, { alpha: 1.001 }), d, { rtol: 2e-2, atol: 2e-4 });
          const orders = [0, 0.25, 0.5, 0.9, 1, 1.5, 2, 5, Number.POSITIVE_INFINITY];
          const values = orders.map((alpha) => value(renyi(pt, qt, { alpha })));
          for (let i = 1; i < values.length; i++) {
            expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]! - 1e-5);
          }
          expectClose(renyi(tf.log(pt), tf.log(qt), { alpha: 2, logits: true }), values[6]!, {
            rtol: 1e-4,
            atol: 1e-5,
          });
        });
      }),
      { numRuns: 25, seed: 19 },
    );
  });

  it('matches finite differences and stays finite at logits of +-1e4', () => {
    const f = (x: tf.Tensor) => renyi(x, q, { alpha: 0.7, validateArgs: false }) as tf.Scalar;
    const x = tf.tensor([0.2, 0.5, 0.3]);
    expectClose(tf.grad(f)(x), numericGradient(f, x, 1e-3), { rtol: 1e-2, atol: 1e-3 });
    const big = tf.tensor([1e4, -1e4, 0]);
    const small = tf.tensor([-1e4, 1e4, 0]);
    expectClose(renyi(big, small, { alpha: 2, logits: true }), 2e4);
    const g = tf.grad((y: tf.Tensor) => renyi(big, y, { alpha: 0.5, logits: true }))(small);
    expect(allFinite(g)).toBe(true);
  });

  it('rejects bad input and leaks no tensors', async () => {
    expectInvalidArgument(
      () => renyi(p, q, { alpha: -1 }),
      'renyi: `alpha` must be a number >= 0, got -1',
    );
    expectInvalidArgument(
      () => renyi(p, q, undefined as unknown as { alpha: number }),
      'renyi: `alpha` must be a number >= 0, got undefined',
    );
    for (const alpha of [0, 0.5, 1, 2, Number.POSITIVE_INFINITY]) {
      await expectNoLeaks(() => renyi(p, q, { alpha }));
      await expectNoLeaks(() => renyi(p, q, { alpha, logits: true }));
    }
  });
});

describe('renyi near alpha = 1 (issue 12)', () => {
  it('keeps float32 accuracy over 1000 categories at alpha 0.9999 on every backend', () => {
    // Seeded exponential weights, normalized in float64 from the float32 values the
    // tensors hold; the float64 reference is 1 / (alpha - 1) log sum p^alpha q^(1 - alpha).
    const k = 1000;
    const uniform = seededUniform(12);
    const raw = (n: number) => Array.from({ length: n }, () => (-Math.log(1 - uniform())) ** 3);
    const normalize = (w: number[]) => {
      const total = w.reduce((a, b) => a + b, 0);
      return w.map((v) => Math.fround(v / total));
    };
    const pv = normalize(raw(k));
    const qv = normalize(raw(k));
    const sp = pv.reduce((a, b) => a + b, 0);
    const sq = qv.reduce((a, b) => a + b, 0);
    for (const alpha of [0.9999, 1.0001, 0.99]) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += (pv[i]! / sp) ** alpha * (qv[i]! / sq) ** (1 - alpha);
      const expected = Math.log(sum) / (alpha - 1);
      // Before the fix: about 1e-2 absolute off on cpu and wasm (logSumExp of values near 1).
      const actual = renyi(pv, qv, { alpha });
      expectClose(actual, expected, { rtol: 2e-5, atol: 0 });
      actual.dispose();
    }
  });
});
