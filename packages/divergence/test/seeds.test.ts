import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSeed,
  deriveSeed,
  seededUniform,
  seededUniformAt,
  stopGradient,
  tfSeed,
} from '../src/index.js';

const seeds = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function draws(seed: number, n = 8, ...path: number[]): number[] {
  const uniform = seededUniform(seed, ...path);
  return Array.from({ length: n }, uniform);
}

describe('seeds', () => {
  it('equal seeds repeat and 0 is a seed like any other', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        expect(draws(seed)).toEqual(draws(seed));
        expect(deriveSeed(seed, 1, 2)).toBe(deriveSeed(seed, 1, 2));
      }),
    );
    expect(draws(0)).toEqual(draws(0));
    expect(tfSeed(0)).not.toBe(0);
    expect(tfSeed(0)).toBe(tfSeed(0));
  });

  it('different seeds and different streams differ', () => {
    fc.assert(
      fc.property(seeds, seeds, (a, b) => {
        fc.pre(!Object.is(a, b) && !(a === 0 && b === 0));
        expect(draws(a)).not.toEqual(draws(b));
      }),
    );
    expect(draws(3, 8, 0)).not.toEqual(draws(3, 8, 1));
    expect(deriveSeed(5, 1, 2)).not.toBe(deriveSeed(5, 2, 1));
    // Seeds that differ past 32 bits or in their fraction still differ.
    expect(deriveSeed(2 ** 40)).not.toBe(deriveSeed(0));
    expect(deriveSeed(1.5)).not.toBe(deriveSeed(1));
  });

  it('draws are uniform on [0, 1): mean, variance and range', () => {
    const n = 20000;
    const values = draws(11, n);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((s, v) => s + v, 0) / n;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    // Standard errors: sqrt(1/12 / n) ~ 0.002 for the mean, ~0.0006 for the variance.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.003);
  });

  it('tfSeed makes tfjs random ops repeat for seed 0, differ across seeds, and stays in (0, 1)', () => {
    const sample = (seed: number) =>
      tf.tidy(() => Array.from(tf.randomNormal([6], 0, 1, 'float32', tfSeed(seed)).dataSync()));
    expect(sample(0)).toEqual(sample(0));
    expect(sample(0)).not.toEqual(sample(1));
    expect(tfSeed(undefined)).toBeUndefined();
    fc.assert(
      fc.property(seeds, fc.nat(), (seed, stream) => {
        const value = tfSeed(seed, stream)!;
        expect(value).toBeGreaterThan(0);
        expect(value).toBeLessThan(1);
      }),
    );
  });

  it('seededUniformAt(i) is the (i + 1)-th draw of seededUniform, for any seed and stream', () => {
    for (const [seed, path] of [
      [0, []],
      [0, [3]],
      [42, [7, 1]],
      [-1.5, [2 ** 31, 5]],
    ] as [number, number[]][]) {
      const next = seededUniform(seed, ...path);
      const at = seededUniformAt(seed, ...path);
      for (let i = 0; i < 20_000; i++) {
        const value = next();
        if (at(i) !== value) expect.fail(`seed ${seed}, path [${path}]: draw ${i} differs`);
      }
    }
    fc.assert(
      fc.property(seeds, fc.integer({ min: 0, max: 300 }), (seed, i) => {
        expect(seededUniformAt(seed, 1)(i)).toBe(draws(seed, i + 1, 1)[i]);
      }),
      { numRuns: 50 },
    );
  });

  it('seededUniformAt reaches far positions in the range [0, 1) and rejects others by name', () => {
    const at = seededUniformAt(9);
    const far = [2 ** 31 - 1, 2 ** 31, 2 ** 32 - 2].map((i) => at(i));
    for (const value of far) expect(value >= 0 && value < 1).toBe(true);
    expect(new Set(far).size).toBe(3);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 32 - 1, 2 ** 40]) {
      expect(() => at(bad)).toThrow(
        /seededUniformAt: `index` must be an integer in \[0, 2\^32 - 1\)/,
      );
    }
  });

  it('checkSeed accepts undefined and finite numbers, rejects the rest by name', () => {
    expect(() => checkSeed('f', undefined)).not.toThrow();
    expect(() => checkSeed('f', 0)).not.toThrow();
    expect(() => checkSeed('f', Number.NaN)).toThrowError(
      /f: `seed` must be a finite number, got NaN/,
    );
    expect(() => checkSeed('f', '1')).toThrowError(/got 1/);
  });
});

describe('stopGradient', () => {
  it('keeps the value and blocks the gradient', () => {
    const x = tf.scalar(3);
    const grad = tf.grad((t: tf.Tensor) => tf.mul(t, stopGradient(t)))(x);
    expect(grad.dataSync()[0]).toBeCloseTo(3, 6);
    tf.dispose([x, grad]);
  });
});
