import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { dynamicBinarize, staticBinarize } from '../src/index.js';

describe('staticBinarize', () => {
  it('thresholds at 0.5 by default and at a given cut', async () => {
    await expectNoLeaks(() => {
      const x = tf.tensor([0, 0.3, 0.5, 0.51, 1]);
      const half = staticBinarize(x);
      const low = staticBinarize(x, 0.2);
      expect(Array.from(half.dataSync())).toEqual([0, 0, 0, 1, 1]);
      expect(Array.from(low.dataSync())).toEqual([0, 1, 1, 1, 1]);
      tf.dispose([x, half, low]);
    });
  });

  it('rejects a threshold outside (0, 1)', () => {
    expect(() => staticBinarize(tf.zeros([1]), 1)).toThrow(
      /`threshold` must be in \(0, 1\), got 1/,
    );
  });
});

describe('dynamicBinarize', () => {
  it('draws Bernoulli(x): the mean of 20,000 draws of p = 0.3 is 0.3 within 4 standard errors', async () => {
    await expectNoLeaks(() => {
      const x = tf.fill([20_000], 0.3);
      const draws = dynamicBinarize(x, 11);
      const values = Array.from(draws.dataSync());
      expect(values.every((v) => v === 0 || v === 1)).toBe(true);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(Math.abs(mean - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / 20_000));
      tf.dispose([x, draws]);
    });
  });

  it('keeps 0 and 1 fixed, repeats with the same seed and changes with another', () => {
    const x = tf.tensor([0, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const a = Array.from(dynamicBinarize(x, 1).dataSync());
    expect(a.slice(0, 2)).toEqual([0, 1]);
    expect(Array.from(dynamicBinarize(x, 1).dataSync())).toEqual(a);
    expect(Array.from(dynamicBinarize(x, 2).dataSync())).not.toEqual(a);
  });
});
