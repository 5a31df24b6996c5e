// e^x - 1 - x, the Gaussian KL's core: on the cpu and wasm backends a JavaScript loop
// replaces ~25 tfjs kernels, and must give the tfjs ops' float32 values to the bit, or
// every seeded training run (and the results the CLI README reproduces) would move.
import * as tf from '@tensorflow/tfjs-core';
import { float32Bits } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expm1MinusX, series, seriesOnHost } from '../src/internal/expm1-minus-x.js';

// Where tensors live in host memory the op takes the loop, which must equal the ops; on
// WebGL (a GPU's arithmetic) it takes the ops themselves.
const onHost = ['cpu', 'wasm'].includes(tf.getBackend());

/** The op's values equal the path it takes on this backend, and the loop the ops' on the host. */
function expectPathBits(x: tf.Tensor): void {
  const [ops, op] = [series(x), expm1MinusX(x)];
  if (onHost) {
    const host = seriesOnHost(x);
    expect(host.shape).toEqual(x.shape);
    expect(float32Bits(host)).toEqual(float32Bits(ops));
    host.dispose();
  }
  expect(float32Bits(op)).toEqual(float32Bits(ops));
  tf.dispose([ops, op]);
}

describe('expm1MinusX on the host', () => {
  it("gives the tfjs ops' values to the bit where it runs (cpu, wasm)", () => {
    const special = [0, -0, 0.5, -0.5, 0.49999997, -0.49999997, 0.50000006, 1e-30, -1e-38];
    const extremes = [1e-45, 88, 89, -100, Infinity, -Infinity, NaN, 3.4e38];
    fc.assert(
      fc.property(
        fc.array(fc.float({ noDefaultInfinity: true, noNaN: true, min: -30, max: 30 }), {
          minLength: 1,
          maxLength: 200,
        }),
        (values) => {
          const x = tf.tensor1d(values);
          expectPathBits(x);
          x.dispose();
        },
      ),
      { numRuns: 50 },
    );
    // A dense sweep of the series' range and both sides of its limit, and the edges.
    const sweep = Array.from({ length: 20_000 }, (_, i) => (i - 10_000) / 9_000);
    const x = tf.tensor2d([...sweep, ...special, ...extremes, 0, 0, 0], [1_001, 20]);
    expectPathBits(x);
    x.dispose();
  });

  it('is a few digits from the float64 value, and never cancels near 0', () => {
    const x = [1e-6, -3e-4, 0.1, -0.45, 0.7, -2, 5];
    const got = seriesOnHost(tf.tensor1d(x)).dataSync();
    x.forEach((v, i) => {
      const exact = Math.expm1(v) - v; // float64: relative error ~1e-10 at v = 1e-6
      expect(Math.abs(got[i]! - exact) / Math.abs(exact)).toBeLessThan(1e-6);
    });
  });
});
