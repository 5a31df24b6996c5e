// A first dense layer fed with binary data sums rows of its weights on wasm instead of
// multiplying by mostly zeros. It must give the dense products' floats to the bit, or
// every seeded run (and the results the CLI README reproduces) would move.
import * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from '@vae/divergence';
import { expectNoLeaks, float32Bits } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Activation, Linear, MADE } from '../src/index.js';
import {
  binaryColumnsProduct,
  binaryRowsProduct,
  MAX_BINARY_DENSITY,
  sparseBinaryOnes,
} from '../src/internal/binary-input.js';
import { transpose2d } from '../src/internal/simd.js';

const onWasm = process.env.VAE_TEST_BACKEND === 'wasm';

/** [rows, cols] of zeros and ones, each 1 with probability `density` (seeded). */
function binary([rows, cols]: [number, number], density: number, seed: number): tf.Tensor2D {
  const uniform = seededUniform(seed);
  const values = Array.from({ length: rows * cols }, () => (uniform() < density ? 1 : 0));
  return tf.tensor2d(values, [rows, cols]);
}

/** The number of ones of a binary tensor. */
function countOnes(x: tf.Tensor): number {
  return Array.from(x.dataSync() as Float32Array).filter((v) => v === 1).length;
}

function normal(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

// Sums go 16 columns at a time, then 4, then 1: widths with every remainder, and the MLP's.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 3],
  [5, 9, 33],
  [17, 30, 37],
  [128, 784, 400],
  [130, 64, 70],
];

describe('binary inputs of a first dense layer', () => {
  it('are recognized on wasm only: zeros and ones, sparse enough', () => {
    const x = binary([16, 50], 0.13, 1);
    const ones = countOnes(x);
    expect(sparseBinaryOnes(x)).toBe(onWasm ? ones : undefined);
    const signedZero = tf.tensor2d([[-0, 1, 0, 0, 0, 0, 0]]);
    expect(sparseBinaryOnes(signedZero)).toBe(onWasm ? 1 : undefined);
    // Any other value anywhere (in a vector block or the tail), or too many ones: no.
    for (const bad of [0.5, 2, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      for (const at of [0, 5, 6]) {
        const values = [0, 0, 1, 0, 0, 0, 0];
        values[at] = bad;
        expect(sparseBinaryOnes(tf.tensor2d([values]))).toBeUndefined();
      }
    }
    expect(sparseBinaryOnes(binary([16, 50], MAX_BINARY_DENSITY + 0.2, 2))).toBeUndefined();
    expect(sparseBinaryOnes(tf.zeros([4, 4], 'int32') as tf.Tensor2D)).toBeUndefined();
  });

  it("sum w's rows to the dense product's floats, the bias first or last, relu or not", () => {
    if (!onWasm) return; // off wasm the layer multiplies; nothing to compare
    let seed = 10;
    for (const [rows, inner, cols] of SHAPES) {
      for (const density of [0, 0.05, 0.13, 0.5]) {
        const x = binary([rows, inner], density, seed++);
        const w = normal([inner, cols], seed++) as tf.Tensor2D;
        const bias = normal([cols], seed++) as tf.Tensor1D;
        for (const relu of [false, true]) {
          for (const withBias of [false, true]) {
            const b = withBias ? bias : undefined;
            // Our transposed product, the bias added in the transpose back:
            const after = binaryRowsProduct(x, w, { bias: b, biasFirst: false, relu })!;
            const product = tf.matMul(transpose2d(w), transpose2d(x)) as tf.Tensor2D;
            const reference = transpose2d(product, { bias: b, relu });
            expect(float32Bits(after)).toEqual(float32Bits(reference));
            // tfjs's fused product, whose sums start at the bias:
            const first = binaryRowsProduct(x, w, { bias: b, biasFirst: true, relu })!;
            const activation = relu ? 'relu' : 'linear';
            const fused = tf.fused.matMul({ a: x, b: w, ...(b && { bias: b }), activation });
            expect(float32Bits(first)).toEqual(float32Bits(fused));
            tf.dispose([after, product, reference, first, fused]);
          }
        }
        tf.dispose([x, w, bias]);
      }
    }
  });

  it("sum dz's rows to the weight gradient's floats", () => {
    if (!onWasm) return;
    let seed = 100;
    for (const [rows, inner, cols] of SHAPES) {
      for (const density of [0, 0.05, 0.13, 0.5]) {
        const x = binary([rows, inner], density, seed++);
        const ones = countOnes(x);
        const dz = normal([rows, cols], seed++) as tf.Tensor2D;
        const ours = binaryColumnsProduct(x, dz, ones)!;
        const reference = tf.matMul(transpose2d(x), dz);
        expect(ours.shape).toEqual([inner, cols]);
        expect(float32Bits(ours)).toEqual(float32Bits(reference));
        tf.dispose([x, dz, ours, reference]);
      }
    }
  });

  it('leave a Linear layer’s values and gradients as the dense path computes them, without leaks', async () => {
    // The same weights; only the layer without an input gradient takes the binary path.
    // That path runs on wasm only: elsewhere a smaller layer of the same kind suffices
    // (tfjs's plain CPU products of the MLP's layer took over 30 s on a slow machine).
    for (const [batch, inFeatures, outFeatures] of [
      onWasm ? [128, 784, 400] : [64, 256, 256], // transposed product, bias last
      [64, 30, 20], // fused product, bias first
    ] as const) {
      const options = { inFeatures, outFeatures, seed: 3 };
      const first = new Linear({ ...options, inputGradient: false });
      const plain = new Linear(options);
      plain.bias!.assign(tf.randomNormal([outFeatures], 0, 1, 'float32', 4));
      first.bias!.assign(plain.bias!);
      const x = binary([batch, inFeatures], 0.13, 5);
      const dy = normal([batch, outFeatures], 6);
      // Linear, and each activation the layer can apply itself (tanh after the sum).
      const activations = [undefined, ...(['relu', 'tanh', 'softplus', 'elu'] as const)];
      for (const kind of activations) {
        const activation = kind === undefined ? undefined : new Activation(kind);
        const run = (layer: Linear) =>
          tf.variableGrads(
            () => tf.sum(tf.mul(layer.callWith(x, activation), dy)) as tf.Scalar,
            [layer.weight, layer.bias!],
          );
        const [ours, theirs] = [run(first), run(plain)];
        expect(float32Bits(ours.value)).toEqual(float32Bits(theirs.value));
        const [dw, db] = [first.weight.name, first.bias!.name];
        expect(float32Bits(ours.grads[dw]!)).toEqual(float32Bits(theirs.grads[plain.weight.name]!));
        expect(float32Bits(ours.grads[db]!)).toEqual(float32Bits(theirs.grads[plain.bias!.name]!));
        tf.dispose([
          ours.value,
          theirs.value,
          ...Object.values(ours.grads),
          ...Object.values(theirs.grads),
        ]);
      }
      const run = (layer: Linear) =>
        tf.variableGrads(
          () => tf.sum(tf.mul(layer.call(x), dy)) as tf.Scalar,
          [layer.weight, layer.bias!],
        );
      await expectNoLeaks(() => {
        const { value, grads } = run(first);
        tf.dispose([value, ...Object.values(grads)]);
      });
      await expectNoLeaks(() => tf.dispose(first.call(x)));
      tf.dispose([x, dy]);
      first.dispose();
      plain.dispose();
    }
  });

  it("leave a MADE's outputs and weight gradients as they were when x is data", async () => {
    // The first layer of a MADE fed with data skips d/dx and sums binary rows on wasm.
    const features = onWasm ? 784 : 196; // as above: the binary path runs on wasm only
    const made = new MADE({
      features,
      hidden: [onWasm ? 500 : 128],
      outputsPerFeature: 1,
      contextFeatures: 8,
      seed: 7,
    });
    const x = binary([128, features], 0.13, 8);
    const context = normal([128, 8], 9);
    const dy = normal([128, features], 10);
    const weights = made.trainableVariables;
    const run = (inputGradient: boolean) =>
      tf.variableGrads(
        () => tf.sum(tf.mul(made.call(x, context, { inputGradient }), dy)) as tf.Scalar,
        weights,
      );
    const [ours, theirs] = [run(false), run(true)];
    expect(float32Bits(ours.value)).toEqual(float32Bits(theirs.value));
    for (const v of weights)
      expect(float32Bits(ours.grads[v.name]!)).toEqual(float32Bits(theirs.grads[v.name]!));
    tf.dispose([
      ours.value,
      theirs.value,
      ...Object.values(ours.grads),
      ...Object.values(theirs.grads),
    ]);
    // No gradient reaches x then (tfjs finds it unreachable); it does by default.
    const dx = (inputGradient: boolean) =>
      tf.grad((input: tf.Tensor) => tf.sum(made.call(input, context, { inputGradient })))(x);
    expect(() => dx(false)).toThrow();
    const gradient = dx(true);
    expect(gradient.shape).toEqual([128, features]);
    gradient.dispose();
    await expectNoLeaks(() => {
      const { value, grads } = run(false);
      tf.dispose([value, ...Object.values(grads)]);
    });
    tf.dispose([x, context, dy]);
    made.dispose();
  });
});
