import { seededUniform } from '@vae/divergence';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centreSquare, resizeArea } from '../src/internal/pixels.js';

describe('resizeArea (the image loaders resize)', () => {
  it('keeps the mean of every channel (area averaging conserves intensity), to any size', () => {
    fc.assert(
      fc.property(
        fc.record({
          height: fc.integer({ min: 1, max: 12 }),
          width: fc.integer({ min: 1, max: 12 }),
          toHeight: fc.integer({ min: 1, max: 12 }),
          toWidth: fc.integer({ min: 1, max: 12 }),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        ({ height, width, toHeight, toWidth, seed }) => {
          const uniform = seededUniform(seed);
          const data = Float32Array.from({ length: height * width * 2 }, () =>
            Math.floor(256 * uniform()),
          );
          const out = resizeArea({ data, height, width, channels: 2 }, toHeight, toWidth);
          expect(out.data.length).toBe(toHeight * toWidth * 2);
          for (let c = 0; c < 2; c++) {
            const mean = (values: Float32Array) =>
              values.filter((_, i) => i % 2 === c).reduce((a, b) => a + b, 0) / (values.length / 2);
            expect(mean(out.data)).toBeCloseTo(mean(data), 3);
          }
        },
      ),
    );
  });

  it('leaves a constant image constant and crops the centred square', () => {
    const constant = resizeArea(
      { data: new Float32Array(35).fill(7), height: 5, width: 7, channels: 1 },
      3,
      2,
    );
    expect(Array.from(constant.data)).toEqual(Array(6).fill(7));
    const wide = {
      data: Float32Array.from({ length: 10 }, (_, i) => i),
      height: 2,
      width: 5,
      channels: 1,
    };
    expect(Array.from(centreSquare(wide).data)).toEqual([1, 2, 6, 7]);
  });
});
