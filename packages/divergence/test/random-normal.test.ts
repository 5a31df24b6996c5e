// randomStandardNormal is tfjs's randomNormal arithmetic in one loop: a contract test
// that it draws exactly tfjs's numbers (a tfjs upgrade that changes its generator
// fails here), and that the draws are standard normal.
import * as tf from '@tensorflow/tfjs-core';
import { float32Bits } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomStandardNormal, tfSeed, VaeError } from '../src/index.js';

describe('randomStandardNormal', () => {
  it("draws tf.randomNormal's numbers to the bit for the same seed and shape", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        ),
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 3 }),
        (userSeed, shape) => {
          const seed = tfSeed(userSeed);
          const ours = randomStandardNormal(shape, seed);
          const theirs = tf.randomNormal(shape, 0, 1, 'float32', seed);
          expect(ours.shape).toEqual(shape);
          expect(ours.dtype).toBe('float32');
          expect(float32Bits(ours)).toEqual(float32Bits(theirs));
          tf.dispose([ours, theirs]);
        },
      ),
      { numRuns: 60 },
    );
    // Odd and even sizes (the polar method draws pairs), and a large one.
    for (const size of [1, 2, 3, 20_481]) {
      const ours = randomStandardNormal([size], 0.25);
      const theirs = tf.randomNormal([size], 0, 1, 'float32', 0.25);
      expect(float32Bits(ours)).toEqual(float32Bits(theirs));
      tf.dispose([ours, theirs]);
    }
  });

  it('is standard normal, repeats with its seed, differs without one', () => {
    const x = randomStandardNormal([40_000], tfSeed(3));
    const values = Array.from(x.dataSync());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    // Standard errors: 1/200 for the mean, about sqrt(2)/200 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.025);
    expect(Math.abs(variance - 1)).toBeLessThan(0.035);
    const again = randomStandardNormal([40_000], tfSeed(3));
    expect(float32Bits(again)).toEqual(float32Bits(x));
    // 0 is a seed like any other (tfjs would read it as none).
    const zero = randomStandardNormal([8], 0);
    const zeroAgain = randomStandardNormal([8], 0);
    expect(float32Bits(zeroAgain)).toEqual(float32Bits(zero));
    expect(float32Bits(randomStandardNormal([8], 0.5))).not.toEqual(float32Bits(zero));
    const a = randomStandardNormal([8], undefined);
    const b = randomStandardNormal([8], undefined);
    expect(float32Bits(a)).not.toEqual(float32Bits(b));
    tf.dispose([x, again, zero, zeroAgain, a, b]);
  });

  it('refuses a shape that is not whole numbers >= 0, and a seed that is not finite', () => {
    expect(() => randomStandardNormal([2], Number.NaN)).toThrow(
      'randomStandardNormal: `seed` must be a finite number, got NaN',
    );
    expect(() => randomStandardNormal([2, -1], 0.5)).toThrow(VaeError);
    expect(() => randomStandardNormal([1.5], 0.5)).toThrow(
      'randomStandardNormal: `shape` must hold whole numbers >= 0, got [1.5]',
    );
  });
});
