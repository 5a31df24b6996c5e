import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  cholesky,
  logDetCholesky,
  matrixDiagPart,
  triangularSolve,
  VaeError,
} from '../src/index.js';
import { choleskyF64, randomSpd, seededRandom, solveVectorF64 } from './linalg-reference.js';

function maxRelativeError(actual: tf.Tensor, expected: ArrayLike<number>): number {
  const a = actual.dataSync();
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - expected[i]!));
  }
  return worst / scale;
}

describe('cholesky', () => {
  it('factors a 2x2 matrix exactly', () => {
    const l = cholesky(
      tf.tensor2d([
        [4, 2],
        [2, 5],
      ]),
    );
    expectClose(l, [2, 0, 1, 2]);
    l.dispose();
  });

  it.each([
    { n: 7, blockSize: 3 },
    { n: 64, blockSize: 16 },
    { n: 300, blockSize: 96 },
  ])('matches a float64 Cholesky at n = $n (blocks of $blockSize)', async ({ n, blockSize }) => {
    const a = randomSpd(n, { seed: n });
    const expected = choleskyF64(a, n);
    const input = tf.tensor2d(Float32Array.from(a), [n, n]);
    await expectNoLeaks(() => {
      const l = cholesky(input, { blockSize });
      expect(maxRelativeError(l, expected)).toBeLessThan(2e-5);
      return l;
    });
    input.dispose();
  });

  it('is batched over leading axes', () => {
    const n = 10;
    const first = randomSpd(n, { seed: 1 });
    const second = randomSpd(n, { seed: 2 });
    const input = tf.tensor3d(Float32Array.from([...first, ...second]), [2, n, n]);
    const l = cholesky(input, { blockSize: 4 });
    expect(l.shape).toEqual([2, n, n]);
    expectClose(l, [...choleskyF64(first, n), ...choleskyF64(second, n)], { atol: 1e-5 });
    tf.dispose([input, l]);
  });

  it('names the failing pivot of a matrix that is not positive definite, and leaks nothing', async () => {
    const a = randomSpd(20, { seed: 3 });
    a[13 * 20 + 13] = -5;
    const input = tf.tensor2d(Float32Array.from(a), [20, 20]);
    await expectNoLeaks(() => {
      let error: unknown;
      try {
        cholesky(input, { blockSize: 8 });
      } catch (caught) {
        error = caught;
      }
      expect(VaeError.isInstance(error) && error.code).toBe('NOT_POSITIVE_DEFINITE');
      expect((error as Error).message).toMatch(/pivot 13 of 20.*jitter/);
    });
    input.dispose();
  });

  it('rejects a non-square matrix', () => {
    expect(() => cholesky(tf.zeros([2, 3]))).toThrow(/square matrix.*\[2, 3\]/);
  });

  it('has the gradient of the symmetric parameterization (finite differences)', () => {
    const n = 5;
    const weights = tf.tensor2d(
      new Float32Array(n * n).map((_, i) => Math.sin(i + 1)),
      [n, n],
    );
    const base = tf.tensor2d(Float32Array.from(randomSpd(n, { seed: 9, ridge: 1 })), [n, n]);
    // f(B) = sum(W * chol((B + B^T) / 2)), so the gradient is the symmetric one.
    const f = (b: tf.Tensor) =>
      tf.sum(tf.mul(weights, cholesky(tf.mul(tf.add(b, tf.transpose(b)), 0.5), { blockSize: 2 })));
    const analytic = tf.grad(f)(base);
    const numeric = numericGradient(f as (x: tf.Tensor) => tf.Scalar, base, 1e-2);
    expectClose(analytic, numeric, { rtol: 2e-2, atol: 2e-3 });
    tf.dispose([weights, base, analytic]);
  });
});

describe('triangularSolve', () => {
  const n = 50;
  const l64 = choleskyF64(randomSpd(n, { seed: 5 }), n);
  const random = seededRandom(6);
  const rhs = Array.from({ length: n * 3 }, () => random() * 2 - 1);
  const column = (c: number) => Array.from({ length: n }, (_, i) => rhs[i * 3 + c]!);

  it.each([
    { lower: true, adjoint: false },
    { lower: true, adjoint: true },
    { lower: false, adjoint: false },
    { lower: false, adjoint: true },
  ])('solves with lower = $lower, adjoint = $adjoint in blocks', async ({ lower, adjoint }) => {
    const l = tf.tensor2d(Float32Array.from(l64), [n, n]);
    const matrix = lower ? l : tf.transpose(l);
    const b = tf.tensor2d(rhs, [n, 3]);
    // lower & !adjoint and upper & adjoint are L x = b; the other two are L^T x = b.
    const transpose = lower === adjoint;
    const expected: number[] = new Array(n * 3);
    for (let c = 0; c < 3; c++) {
      const x = solveVectorF64(l64, column(c), { n, transpose });
      x.forEach((v, i) => {
        expected[i * 3 + c] = v;
      });
    }
    await expectNoLeaks(() => {
      const x = triangularSolve(matrix, b, { lower, adjoint, blockSize: 16 });
      expectClose(x, expected, { rtol: 1e-4, atol: 1e-4 });
      return x;
    });
    tf.dispose([l, matrix, b]);
  });

  it('reads only the named triangle', () => {
    const full = tf.tensor2d([
      [2, 100],
      [1, 4],
    ]);
    expectClose(triangularSolve(full, tf.tensor2d([[2], [9]])), [1, 2]);
    expectClose(triangularSolve(full, tf.tensor2d([[102], [4]]), { lower: false }), [1, 1]);
    full.dispose();
  });

  it('is differentiable in both arguments (finite differences)', () => {
    const l = tf.tensor2d([
      [1.5, 0, 0],
      [0.3, 1.2, 0],
      [-0.4, 0.2, 0.9],
    ]);
    const b = tf.tensor2d([
      [0.5, -1],
      [1, 0.2],
      [-0.3, 0.7],
    ]);
    const weights = tf.tensor2d([
      [1, -2],
      [0.5, 1],
      [2, 0.3],
    ]);
    for (const adjoint of [false, true]) {
      const byL = (x: tf.Tensor) =>
        tf.sum(tf.mul(weights, triangularSolve(x, b, { adjoint, blockSize: 2 }))) as tf.Scalar;
      const byB = (x: tf.Tensor) =>
        tf.sum(tf.mul(weights, triangularSolve(l, x, { adjoint, blockSize: 2 }))) as tf.Scalar;
      const gradL = tf.grad(byL)(l);
      const gradB = tf.grad(byB)(b);
      const numericL = numericGradient(byL, l, 1e-3);
      // The upper triangle is never read: its gradient is zero.
      expectClose(
        gradL,
        numericL.map((v, i) => (i % 3 > Math.floor(i / 3) ? 0 : v)),
        {
          rtol: 1e-2,
          atol: 1e-3,
        },
      );
      expectClose(gradB, numericGradient(byB, b, 1e-3), { rtol: 1e-2, atol: 1e-3 });
      tf.dispose([gradL, gradB]);
    }
    tf.dispose([l, b, weights]);
  });

  it('checks shapes', () => {
    expect(() => triangularSolve(tf.eye(3), tf.zeros([4, 1]))).toThrow(/rhs.*\[4, 1\]/);
    expect(() => triangularSolve(tf.eye(3), tf.zeros([3, 1]), { blockSize: 0 })).toThrow(
      /blockSize/,
    );
  });
});

describe('logDetCholesky and matrixDiagPart', () => {
  it('computes log det of L L^T from the diagonal', () => {
    const l = tf.tensor3d([
      [
        [2, 0],
        [5, 3],
      ],
      [
        [1, 0],
        [0, 0.5],
      ],
    ]);
    expectClose(matrixDiagPart(l), [2, 3, 1, 0.5]);
    expectClose(logDetCholesky(l), [2 * Math.log(6), 2 * Math.log(0.5)]);
    l.dispose();
  });
});
