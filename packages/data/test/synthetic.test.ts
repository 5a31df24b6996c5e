import { describe, expect, it } from 'vitest';
import { gaussianMixture, twoMoons } from '../src/index.js';

describe('gaussianMixture', () => {
  it('puts each component around its mean on the circle with the given spread (20,000 points)', () => {
    const {
      values: points,
      labels,
      size,
    } = gaussianMixture({
      size: 20_000,
      components: 4,
      radius: 3,
      scale: 0.25,
      seed: 2,
    });
    expect(size).toBe(20_000);
    for (let k = 0; k < 4; k++) {
      const xs: number[] = [];
      const ys: number[] = [];
      labels.forEach((label, i) => {
        if (label === k) {
          xs.push(points[2 * i]!);
          ys.push(points[2 * i + 1]!);
        }
      });
      // Each component gets about a quarter of the points (binomial, 5 standard deviations).
      expect(Math.abs(xs.length - 5000)).toBeLessThan(5 * Math.sqrt(20_000 * 0.25 * 0.75));
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const angle = (2 * Math.PI * k) / 4;
      // Standard error of the mean is 0.25 / sqrt(5000) ~ 0.0035: 0.02 is about 5.6 of them.
      expect(Math.abs(mean(xs) - 3 * Math.cos(angle))).toBeLessThan(0.02);
      expect(Math.abs(mean(ys) - 3 * Math.sin(angle))).toBeLessThan(0.02);
      const std = Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
      expect(Math.abs(std - 0.25)).toBeLessThan(0.02);
    }
  });

  it('is reproducible by seed', () => {
    expect(gaussianMixture({ size: 50, seed: 9 })).toEqual(gaussianMixture({ size: 50, seed: 9 }));
    expect(gaussianMixture({ size: 50, seed: 9 }).values).not.toEqual(
      gaussianMixture({ size: 50, seed: 8 }).values,
    );
    // Seed 0 is a seed: reproducible, and not the same as seed 1.
    expect(gaussianMixture({ size: 50, seed: 0 })).toEqual(gaussianMixture({ size: 50, seed: 0 }));
    expect(gaussianMixture({ size: 50, seed: 0 }).values).not.toEqual(
      gaussianMixture({ size: 50, seed: 1 }).values,
    );
  });

  it('rejects a non-positive size', () => {
    expect(() => gaussianMixture({ size: -1 })).toThrow(
      /gaussianMixture: `size` must be a positive integer, got -1/,
    );
  });
});

describe('twoMoons', () => {
  it('puts noiseless points exactly on the two half circles', () => {
    const { values: points, labels, itemShape } = twoMoons({ size: 101, noise: 0, seed: 4 });
    expect(itemShape).toEqual([2]);
    expect(labels.filter((l) => l === 0).length).toBe(51);
    labels.forEach((label, i) => {
      const x = points[2 * i]!;
      const y = points[2 * i + 1]!;
      const [cx, cy] = label === 0 ? [0, 0] : [1, 0.5];
      expect(Math.hypot(x - cx, y - cy)).toBeCloseTo(1, 5);
      if (label === 0) expect(y).toBeGreaterThanOrEqual(0);
      else expect(y).toBeLessThanOrEqual(0.5 + 1e-6);
    });
  });

  it('is reproducible by seed', () => {
    expect(twoMoons({ size: 20, seed: 1 })).toEqual(twoMoons({ size: 20, seed: 1 }));
  });
});
