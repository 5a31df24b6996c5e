import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { compileWat } from '../../../scripts/build-wat.mjs';
import { FusedAdam, trainStep } from '../src/index.js';
import { wasmAdamStep, wasmKernelsAvailable, wasmSumOfSquares } from '../src/internal/wasm-adam.js';

const onWasm = process.env.VAE_TEST_BACKEND === 'wasm';

describe('the embedded SIMD kernels', () => {
  it('are what wat/fused-adam.wat compiles to', async () => {
    // Text equality: the file is generated in the layout Biome keeps.
    const committed = await readFile(
      new URL('../src/internal/fused-adam-wasm.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(
      await compileWat(fileURLToPath(new URL('../wat/fused-adam.wat', import.meta.url))),
    );
  }, 30_000);

  it('include the row gather that wat/gather-rows.wat compiles to', async () => {
    const committed = await readFile(
      new URL('../src/internal/gather-rows-wasm.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(
      await compileWat(fileURLToPath(new URL('../wat/gather-rows.wat', import.meta.url))),
    );
  }, 30_000);

  it('run exactly where they can: on wasm and nowhere else', () => {
    expect(wasmKernelsAvailable()).toBe(onWasm);
    const x = tf.tensor1d([1, 2, 3]);
    expect(wasmSumOfSquares(x) === undefined).toBe(!onWasm);
    x.dispose();
  });

  it('take one Adam step, vector part and scalar tail, as the float64 formula', () => {
    // 11 elements: two SIMD vectors of 4 and a tail of 3.
    const values = (seed: number, shift = 0) =>
      Array.from({ length: 11 }, (_, i) => Math.sin(seed * (i + 1)) + shift);
    const [w, g, m] = [values(1), values(2), values(3)];
    const v = values(4, 1.5); // second moments are positive
    const attributes = { beta1: 0.8, beta2: 0.99, stepSize: 0.01, epsilonHat: 1e-3, scale: 0.5 };
    const result = wasmAdamStep(
      { w: tf.tensor1d(w), g: tf.tensor1d(g), m: tf.tensor1d(m), v: tf.tensor1d(v) },
      attributes,
    );
    if (!onWasm) {
      expect(result).toBeUndefined();
      return;
    }
    const { beta1, beta2, stepSize, epsilonHat, scale } = attributes;
    const expected = w.map((wi, i) => {
      const gi = g[i]! * scale;
      const mi = beta1 * m[i]! + (1 - beta1) * gi;
      const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
      return [wi - (stepSize * mi) / (Math.sqrt(vi) + epsilonHat), mi, vi] as const;
    });
    expect(result).toBeDefined();
    const [newW, newM, newV] = result!;
    expectClose(
      newW,
      expected.map((e) => e[0]),
      { rtol: 1e-6, atol: 1e-6 },
    );
    expectClose(
      newM,
      expected.map((e) => e[1]),
      { rtol: 1e-6, atol: 1e-6 },
    );
    expectClose(
      newV,
      expected.map((e) => e[2]),
      { rtol: 1e-6, atol: 1e-6 },
    );
    tf.dispose(result);
  });

  it('sum squares in float64, vector part and tail', () => {
    const values = Array.from({ length: 13 }, (_, i) => (i % 3) - 1 + i / 7);
    const x = tf.tensor1d(values);
    const sum = wasmSumOfSquares(x);
    if (onWasm) {
      const exact = Array.from(x.dataSync()).reduce((s, v) => s + v * v, 0);
      expect(sum).toBeCloseTo(exact, 10);
    } else {
      expect(sum).toBeUndefined();
    }
    x.dispose();
  });

  it("give trainStep the same gradient norm as tfjs's ops", async () => {
    const w = tf.variable(tf.randomNormal([300, 257], 0, 1, 'float32', 3));
    const b = tf.variable(tf.randomNormal([5], 0, 1, 'float32', 4));
    const loss = () => tf.add(tf.sum(tf.square(w)), tf.sum(tf.mul(b, 3))) as tf.Scalar;
    const optimizer = new FusedAdam(1e-3);
    const expectedNorm = tf.tidy(() =>
      Math.sqrt(tf.add(tf.sum(tf.square(tf.mul(w, 2))), 9 * 5).dataSync()[0]!),
    );
    const { gradientNorm } = await trainStep([w, b], loss, { optimizer });
    expect(gradientNorm).toBeCloseTo(expectedNorm, 1);
    expect(Math.abs(gradientNorm - expectedNorm) / expectedNorm).toBeLessThan(1e-5);
    optimizer.dispose();
    tf.dispose([w, b]);
  });
});
