import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { VaeError } from '../src/index.js';
import { kernelOp } from '../src/kernels.js';

// y = x * exp(a * x) and z = sum(x) from one kernel: two outputs, an attribute, a saved
// input and a saved output.
const op = kernelOp<{ a: number }>({
  kernelName: 'VaeTestExpScale',
  forward: ({ x }, { a }) => [tf.mul(x!, tf.exp(tf.mul(a, x!))), tf.sum(x!)],
  inputsToSave: ['x'],
  outputsToSave: [true, false],
  gradient: ([dy, dz], [x, y], { a }) => ({
    // dy/dx = exp(a x) + a y
    x: () => tf.add(tf.mul(dy!, tf.add(tf.exp(tf.mul(a, x!)), tf.mul(a, y!))), dz!),
  }),
});

describe('kernelOp', () => {
  it('computes its outputs and its gradient through the registered config', () => {
    const x = tf.tensor1d([0.3, -0.7, 1.1]);
    const f = (t: tf.Tensor) => {
      const [y, z] = op({ x: t }, { a: 0.5 });
      return tf.add(tf.sum(tf.mul(y!, y!)), tf.mul(z!, 2)) as tf.Scalar;
    };
    const [y] = op({ x }, { a: 0.5 });
    expectClose(y!, tf.mul(x, tf.exp(tf.mul(0.5, x))));
    expectClose(tf.grad(f)(x), numericGradient(f, x), { rtol: 1e-2, atol: 1e-3 });
    tf.dispose([x, y!]);
  });

  it('frees everything it makes, with or without a gradient', async () => {
    const x = tf.tensor1d([0.1, 0.2]);
    await expectNoLeaks(() => {
      tf.dispose(op({ x }, { a: 1 }));
      tf.dispose(tf.grad((t: tf.Tensor) => op({ x: t }, { a: 1 })[0]!)(x));
    });
    x.dispose();
  });

  it('rejects an empty kernel name', () => {
    expect(() => kernelOp({ kernelName: '', forward: () => [], gradient: () => ({}) })).toThrow(
      VaeError,
    );
  });
});
