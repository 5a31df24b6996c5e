import * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from '@vae/divergence';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bernoulliRowLogLikelihood,
  columnSums,
  denseActivationGrad,
  depthToSpaceCropped,
  simdAvailable,
  transpose2d,
} from '../src/internal/simd.js';

const onWasm = process.env.VAE_TEST_BACKEND === 'wasm';

/** Seeded values in [-scale, scale), row-major [rows, cols], as plain numbers. */
function values([rows, cols]: [number, number], seed: number, scale = 3): number[] {
  const uniform = seededUniform(seed);
  return Array.from({ length: rows * cols }, () => (uniform() * 2 - 1) * scale);
}

// Block sizes are 4 and tiles 32 rows: shapes with every remainder, and the MLP's own.
const SHAPES: [number, number][] = [
  [1, 1],
  [3, 5],
  [4, 4],
  [6, 9],
  [37, 10],
  [128, 20],
  [128, 784],
  [400, 128],
];

describe('the layers’ SIMD kernels', () => {
  it('run on wasm, and only there', () => {
    expect(simdAvailable()).toBe(onWasm);
    const dy = tf.ones([2, 2]) as tf.Tensor2D;
    expect(denseActivationGrad(dy, dy, true) !== undefined).toBe(onWasm);
    const result = bernoulliRowLogLikelihood(dy, dy, false);
    expect(result !== undefined).toBe(onWasm);
    const sums = columnSums(dy);
    expect(sums !== undefined).toBe(onWasm);
    const shuffled = depthToSpaceCropped(tf.ones([1, 1, 1, 4]) as tf.Tensor4D, {
      s: 2,
      outH: 2,
      outW: 2,
      cropH: 0,
      cropW: 0,
    });
    expect(shuffled !== undefined).toBe(onWasm);
    tf.dispose([dy, result?.value, sums, shuffled]);
  });

  it('transpose, with the bias along the source rows and relu, as tfjs does', () => {
    for (const [rows, cols] of SHAPES) {
      const data = values([rows, cols], rows * 1000 + cols);
      const x = tf.tensor2d(data, [rows, cols]);
      const bias = tf.tensor1d(values([1, rows], cols));
      expectClose(transpose2d(x), tf.transpose(x), { rtol: 0, atol: 0 });
      expectClose(transpose2d(x, { bias, relu: true }), tf.relu(tf.add(tf.transpose(x), bias)), {
        rtol: 1e-7,
        atol: 0,
      });
      expectClose(transpose2d(x, { bias }), tf.add(tf.transpose(x), bias), {
        rtol: 1e-7,
        atol: 0,
      });
      tf.dispose([x, bias]);
    }
  });
});

// The kernels themselves, on wasm whichever backend this project runs.
describe('the layers’ SIMD kernels on wasm', () => {
  let active: string;
  beforeAll(async () => {
    active = tf.getBackend();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend(active);
  });

  it('transpose on wasm too', () => {
    expect(simdAvailable()).toBe(true);
    const x = tf.tensor2d(values([37, 10], 5), [37, 10]);
    expectClose(transpose2d(x), tf.transpose(x), { rtol: 0, atol: 0 });
    x.dispose();
  });

  it("give a dense layer's dz, transpose(dz) and bias gradient in one pass", () => {
    for (const [rows, cols] of SHAPES) {
      const dy = tf.tensor2d(values([rows, cols], cols), [rows, cols]);
      const y = tf.relu(tf.tensor2d(values([rows, cols], rows + 7), [rows, cols])) as tf.Tensor2D;
      for (const relu of [true, false]) {
        const { dz, dzT, db } = denseActivationGrad(dy, y, relu)!;
        const expected = relu ? tf.mul(dy, tf.step(y)) : dy;
        expectClose(dz, expected, { rtol: 0, atol: 0 });
        expectClose(dzT, tf.transpose(expected), { rtol: 0, atol: 0 });
        expectClose(db, tf.sum(expected, 0), { rtol: 1e-5, atol: 1e-5 });
        tf.dispose([dz, dzT, db]);
      }
      tf.dispose([dy, y]);
    }
  });

  it('give the Bernoulli log-likelihood and its gradient as the float64 formula, for logits of ±60', () => {
    for (const [rows, cols] of [...SHAPES, [2, 3] as [number, number]]) {
      const logits = values([rows, cols], rows * 31 + cols, 60);
      // targets in [0, 1]: binary and in between
      const targets = values([rows, cols], cols * 17 + rows, 1).map((v, i) =>
        i % 3 === 0 ? Math.abs(v) : v > 0 ? 1 : 0,
      );
      const result = bernoulliRowLogLikelihood(
        tf.tensor2d(logits, [rows, cols]),
        tf.tensor2d(targets, [rows, cols]),
        true,
      )!;
      const softplus = (l: number) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
      const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));
      const expected = Array.from({ length: rows }, (_, r) => {
        let sum = 0;
        for (let c = 0; c < cols; c++) {
          const l = logits[r * cols + c]!;
          sum += targets[r * cols + c]! * l - softplus(l);
        }
        return sum;
      });
      // float32 sums of terms up to 60 in size
      expectClose(result.value, expected, { rtol: 1e-5, atol: 2e-4 });
      expectClose(
        result.gradient!,
        targets.map((t, i) => t - sigmoid(logits[i]!)),
        { rtol: 1e-6, atol: 1e-6 },
      );
    }
  });

  it('read x once per row for samples that share it (row r uses row r mod xRows)', () => {
    const logits = tf.tensor2d(values([6, 5], 3), [6, 5]);
    const x = tf.tensor2d(
      values([2, 5], 4, 1).map((v) => (v > 0 ? 1 : 0)),
      [2, 5],
    );
    const shared = bernoulliRowLogLikelihood(logits, x, false)!;
    const tiled = bernoulliRowLogLikelihood(logits, tf.tile(x, [3, 1]) as tf.Tensor2D, false)!;
    expectClose(shared.value, tiled.value, { rtol: 0, atol: 0 });
    expect(shared.gradient).toBeUndefined();
    tf.dispose([logits, x, shared.value, tiled.value]);
  });

  it('sum columns as tfjs does, every remainder of 4 columns', () => {
    for (const [rows, cols] of [...SHAPES, [25088, 32] as [number, number]]) {
      tf.tidy(() => {
        const x = tf.tensor2d(values([rows, cols], rows + cols), [rows, cols]);
        expectClose(columnSums(x)!, tf.sum(x, 0), { rtol: 1e-5, atol: 1e-4 });
      });
    }
  });

  it('shuffle depth to space and crop as tfjs does (strides 2 and 3, any channels)', () => {
    // [n, positions h, positions w, s, channels], the output window and its start.
    const cases = [
      { shape: [2, 8, 8, 2, 32], out: [14, 14], crop: [1, 1] },
      { shape: [3, 15, 15, 2, 1], out: [28, 28], crop: [1, 1] },
      { shape: [1, 4, 5, 2, 3], out: [8, 10], crop: [0, 0] },
      { shape: [2, 4, 3, 3, 5], out: [10, 7], crop: [2, 1] },
    ] as const;
    for (const { shape, out, crop } of cases) {
      const [n, ph, pw, s, c] = shape;
      tf.tidy(() => {
        const x = tf.randomNormal([n, ph, pw, s * s * c], 0, 1, 'float32', 5) as tf.Tensor4D;
        const window = { s, outH: out[0], outW: out[1], cropH: crop[0], cropW: crop[1] };
        const expected = tf.slice(tf.depthToSpace(x, s), [0, crop[0], crop[1], 0], [n, ...out, c]);
        const actual = depthToSpaceCropped(x, window)!;
        expect(actual.shape).toEqual(expected.shape);
        expectClose(actual, expected, { rtol: 0, atol: 0 });
      });
    }
  });

  it('leave no tensors behind', async () => {
    const x = tf.tensor2d(values([6, 9], 1), [6, 9]);
    await expectNoLeaks(() => {
      tf.dispose(transpose2d(x, { relu: true }));
      const grads = denseActivationGrad(x, x, true);
      if (grads !== undefined) tf.dispose([grads.dz, grads.dzT, grads.db]);
      const result = bernoulliRowLogLikelihood(x, x, true);
      if (result !== undefined) tf.dispose([result.value, result.gradient!]);
      tf.dispose(columnSums(x));
      const image = tf.reshape(x, [1, 3, 3, 6]) as tf.Tensor4D;
      tf.dispose(depthToSpaceCropped(image, { s: 1, outH: 2, outW: 2, cropH: 1, cropW: 0 }));
      image.dispose();
    });
    x.dispose();
  });
});
