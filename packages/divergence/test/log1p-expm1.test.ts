import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { expm1, log1p } from '../src/index.js';

// Float64 values from Math.log1p / Math.expm1 (IEEE double, correctly rounded to ~1 ulp).
const XS = [1e-30, 1e-10, -1e-10, 1e-7, -3e-5, 0.01, -0.3, 0.49, 0.5, -0.5, -0.9, 2, 40, 1e30];

describe('log1p', () => {
  it('matches float64 log1p to float32 rounding, tiny arguments included', () => {
    const x = tf.tensor(XS);
    // tfjs's own log1p on wasm is log(1 + x): 0 at 1e-10, relative error 1.
    expectClose(
      log1p(x),
      XS.map((v) => Math.log1p(v)),
      { rtol: 2e-7, atol: 0 },
    );
    x.dispose();
  });

  it('has the limits at -1 and +Infinity and NaN below -1', () => {
    const out = log1p([-1, Number.POSITIVE_INFINITY, -2]);
    const values = Array.from(out.dataSync());
    expect(values[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(values[1]).toBe(Number.POSITIVE_INFINITY);
    expect(values[2]).toBeNaN();
    out.dispose();
  });

  it('has the gradient 1 / (1 + x) and leaks nothing', async () => {
    const x = tf.tensor([1e-10, -0.3, 0.49, 0.51, 3]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(log1p(t)))(x);
    expectClose(
      grad,
      [1e-10, -0.3, 0.49, 0.51, 3].map((v) => 1 / (1 + v)),
      { rtol: 1e-6 },
    );
    const f = (t: tf.Tensor) => tf.sum(log1p(t)) as tf.Scalar;
    expectClose(grad, numericGradient(f, x, 1e-3), { rtol: 1e-2, atol: 1e-3 });
    await expectNoLeaks(() => log1p(x));
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(log1p(t)))(x));
    tf.dispose([x, grad]);
  });
});

describe('expm1', () => {
  it('matches float64 expm1 to float32 rounding, tiny arguments included', () => {
    const finite = XS.filter((v) => v < 80);
    expectClose(
      expm1(finite),
      finite.map((v) => Math.expm1(v)),
      { rtol: 2e-7, atol: 0 },
    );
  });

  it('has the limits at +-Infinity', () => {
    const out = expm1([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -200]);
    expect(Array.from(out.dataSync())).toEqual([-1, Number.POSITIVE_INFINITY, -1]);
    out.dispose();
  });

  it('has the gradient exp(x) (finite where the series is not taken) and leaks nothing', async () => {
    const x = tf.tensor([1e-10, -0.3, 0.49, 0.51, 3, 60]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(expm1(t)))(x);
    expectClose(
      grad,
      [1e-10, -0.3, 0.49, 0.51, 3, 60].map((v) => Math.exp(v)),
      { rtol: 1e-6 },
    );
    await expectNoLeaks(() => expm1(x));
    tf.dispose([x, grad]);
  });

  it('inverts log1p', () => {
    const xs = [1e-12, -1e-6, 0.2, -0.7, 5];
    expectClose(expm1(log1p(xs)), xs, { rtol: 1e-6, atol: 0 });
  });
});
