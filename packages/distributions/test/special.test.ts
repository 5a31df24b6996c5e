import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  digamma,
  lgamma,
  logBeta,
  multivariateLgamma,
  trigamma,
  xlogy,
} from '../src/internal/special.js';

const EULER_GAMMA = 0.5772156649015329;

// Reference values from mpmath (30 digits), rounded to float64.
const POINTS = [1e-6, 1e-3, 0.1, 0.5, 1.4616321449683622, 3.7, 7.9, 20, 30.5, 1e4];
const LGAMMA = [
  13.815509980749432, 6.907178885383853, 2.252712651734206, 0.5723649429247001,
  -0.12148629053584961, 1.4280723266653879, 8.324265868008808, 39.339884187199495, 72.9534711841694,
  82099.71749644238,
];
const DIGAMMA = [
  -1000000.57721402, -1000.5755719318103, -10.423754940411078, -1.9635100260214235, 0,
  1.1671535393615113, 2.002238487563571, 2.970523992242149, 3.401243668961661, 9.210290371142849,
];
const TRIGAMMA = [
  1000000000001.6449, 1000001.6425331959, 101.43329915079276, 4.934802200544679, 0.9676722454476213,
  0.31003785767003833, 0.13493078345663442, 0.05127082293520312, 0.03333024811280161,
  0.00010000500016666666,
];

function run(fn: (x: tf.Tensor) => tf.Tensor, values: number[]): number[] {
  return tf.tidy(() => Array.from(fn(tf.tensor1d(values)).dataSync()));
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let k = 2; k <= n; k++) sum += Math.log(k);
  return sum;
}

describe('lgamma', () => {
  it('equals log((n - 1)!) at the integers 1..30', () => {
    const n = Array.from({ length: 30 }, (_, i) => i + 1);
    expectClose(
      run(lgamma, n),
      n.map((k) => logFactorial(k - 1)),
      { rtol: 2e-7, atol: 2e-6 },
    );
  });

  it('equals log(sqrt(pi)) at 1/2 and matches reference values from 1e-6 to 1e4', () => {
    expectClose(run(lgamma, [0.5]), [0.5 * Math.log(Math.PI)], { rtol: 1e-7, atol: 1e-7 });
    expectClose(run(lgamma, POINTS), LGAMMA, { rtol: 3e-7, atol: 2e-6 });
  });

  it('handles the ends of the axis: 0 and +Infinity give +Infinity, negatives NaN', () => {
    const out = run(lgamma, [0, Infinity, -1, 1e30]);
    expect(out[0]).toBe(Infinity);
    expect(out[1]).toBe(Infinity);
    expect(out[2]).toBeNaN();
    expectClose([out[3]!], [1e30 * Math.log(1e30) - 1e30], { rtol: 1e-6 });
  });

  it('satisfies lgamma(x + 1) = lgamma(x) + log(x) for random x', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 1e3, noNaN: true }), (x) => {
        const [a, b] = run(lgamma, [x, x + 1]);
        expectClose([b!], [a! + Math.log(x)], { rtol: 1e-6, atol: 4e-6 });
      }),
      { numRuns: 50, seed: 1 },
    );
  });

  it('has digamma as its gradient (and agrees with finite differences)', () => {
    const x = tf.tensor1d([0.3, 1.5, 4, 12.5, 100]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(lgamma(t)))(x);
    expectClose(grad, run(digamma, [0.3, 1.5, 4, 12.5, 100]), { rtol: 1e-6, atol: 1e-6 });
    const numeric = numericGradient((t) => tf.sum(lgamma(t)) as tf.Scalar, x, 1e-2);
    expectClose(grad, numeric, { rtol: 2e-3, atol: 2e-3 });
    tf.dispose([x, grad]);
  });

  it('leaves no tensors behind, casts int32 input and keeps the shape', async () => {
    await expectNoLeaks(() => {
      const x = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
      const y = lgamma(x);
      expect(y.shape).toEqual([2, 2]);
      expect(y.dtype).toBe('float32');
      expectClose(y, [0, 0, Math.log(2), Math.log(6)], { atol: 2e-6 });
      tf.dispose([x, y]);
    });
  });
});

describe('digamma', () => {
  it('equals minus the Euler-Mascheroni constant at 1 and matches reference values', () => {
    expectClose(run(digamma, [1]), [-EULER_GAMMA], { rtol: 1e-7, atol: 1e-6 });
    expectClose(run(digamma, POINTS), DIGAMMA, { rtol: 3e-7, atol: 1e-6 });
  });

  it('satisfies digamma(x + 1) = digamma(x) + 1 / x for random x', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (x) => {
        const [a, b] = run(digamma, [x, x + 1]);
        // a carries float32 rounding of about 6e-8 |a|, which dominates near 0.
        expectClose([b!], [a! + 1 / x], { rtol: 1e-6, atol: 2e-6 + 1.2e-7 * Math.abs(a!) });
      }),
      { numRuns: 50, seed: 2 },
    );
  });

  it('has trigamma as its gradient (and agrees with finite differences)', () => {
    const values = [0.2, 1, 2.5, 7, 50];
    const x = tf.tensor1d(values);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(digamma(t)))(x);
    expectClose(grad, run(trigamma, values), { rtol: 1e-6 });
    const numeric = numericGradient((t) => tf.sum(digamma(t)) as tf.Scalar, x, 1e-3);
    expectClose(grad, numeric, { rtol: 5e-3, atol: 5e-3 });
    tf.dispose([x, grad]);
  });

  it('gives -Infinity at 0', () => {
    expect(run(digamma, [0])[0]).toBe(-Infinity);
  });
});

describe('trigamma', () => {
  it('equals pi^2 / 6 at 1 and matches reference values', () => {
    expectClose(run(trigamma, [1]), [Math.PI ** 2 / 6], { rtol: 1e-6 });
    expectClose(run(trigamma, POINTS), TRIGAMMA, { rtol: 1e-6, atol: 1e-7 });
  });

  it('has a gradient (tetragamma) matching reference values and finite differences', () => {
    const x = tf.tensor1d([0.05, 0.5, 3, 9, 40]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(trigamma(t)))(x);
    // mpmath psi(2, x)
    const tetragamma = [
      -16002.108158021945, -16.82879664423432, -0.15411380631918858, -0.013793319195767774,
      -0.0006408202718352986,
    ];
    expectClose(grad, tetragamma, { rtol: 2e-6, atol: 1e-8 });
    const small = tf.tensor1d([0.5, 2]);
    const analytic = tf.grad((t: tf.Tensor) => tf.sum(trigamma(t)))(small);
    const numeric = numericGradient((t) => tf.sum(trigamma(t)) as tf.Scalar, small, 1e-2);
    expectClose(analytic, numeric, { rtol: 5e-3 });
    tf.dispose([x, grad, small, analytic]);
  });

  it('agrees with finite differences of digamma', () => {
    const x = tf.tensor1d([0.5, 3, 9]);
    const numeric = numericGradient((t) => tf.sum(digamma(t)) as tf.Scalar, x, 1e-3);
    expectClose(run(trigamma, [0.5, 3, 9]), numeric, { rtol: 5e-3 });
    x.dispose();
  });
});

describe('logBeta, multivariateLgamma and xlogy', () => {
  it('logBeta matches closed forms and broadcasts', () => {
    const out = tf.tidy(() => logBeta(tf.tensor2d([[1], [2], [0.5]]), tf.tensor1d([1, 2, 0.5])));
    expect(out.shape).toEqual([3, 3]);
    // B(a, b) = Gamma(a) Gamma(b) / Gamma(a + b)
    expectClose(
      out,
      [
        0,
        -Math.log(2),
        Math.log(2),
        -Math.log(2),
        -Math.log(6),
        Math.log(4 / 3),
        Math.log(2),
        Math.log(4 / 3),
        Math.log(Math.PI),
      ],
      { atol: 3e-6 },
    );
    out.dispose();
  });

  it('logBeta has gradient digamma(a) - digamma(a + b) through intermediates, without leaks', async () => {
    await expectNoLeaks(() => {
      const a = tf.tensor1d([0.5, 2, 7]);
      const b = tf.tensor1d([1.5, 3, 0.25]);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(logBeta(tf.mul(t, 1), b)))(a);
      const expected = tf.tidy(() => tf.sub(digamma(a), digamma(tf.add(a, b))));
      expectClose(grad, expected, { rtol: 1e-6, atol: 1e-6 });
      tf.dispose([a, b, grad, expected]);
    });
  });

  it('multivariateLgamma reduces to lgamma for p = 1 and matches the product formula for p = 3', () => {
    const a = [2.5, 4, 10];
    const one = tf.tidy(() => multivariateLgamma(tf.tensor1d(a), 1));
    expectClose(one, run(lgamma, a));
    const three = tf.tidy(() => multivariateLgamma(tf.tensor1d(a), 3));
    const expected = a.map((v) => {
      const [g0, g1, g2] = run(lgamma, [v, v - 0.5, v - 1]);
      return g0! + g1! + g2! + (3 * 2 * Math.log(Math.PI)) / 4;
    });
    expectClose(three, expected);
    tf.dispose([one, three]);
  });

  it('xlogy uses 0 log 0 = 0 with a finite gradient there', () => {
    const x = tf.tensor1d([0, 2, 0]);
    const y = tf.tensor1d([0, 3, 5]);
    const out = xlogy(x, y);
    expectClose(out, [0, 2 * Math.log(3), 0]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(xlogy(x, t)))(y);
    expectClose(grad, [0, 2 / 3, 0]);
    tf.dispose([x, y, out, grad]);
  });
});
