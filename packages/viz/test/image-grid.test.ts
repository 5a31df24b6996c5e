import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { imageGrid, pixelAt } from '../src/index.js';

describe('imageGrid', () => {
  // Five 2 x 3 grey images; image i has value i / 4 everywhere except its top-left pixel, which is 1.
  const values = Array.from({ length: 5 }, (_, i) =>
    Array.from({ length: 6 }, (_, p) => (p === 0 ? 1 : i / 4)),
  ).flat();

  it('places image i at row floor(i / columns), column i % columns, with padding and scale', async () => {
    await expectNoLeaks(() => {
      const images = tf.tensor3d(values, [5, 2, 3]);
      const grid = imageGrid(images, {
        columns: 3,
        padding: 1,
        scale: 2,
        background: [255, 0, 0, 255],
      });
      // 3 columns of 6-pixel-wide cells and 2 rows of 4-pixel-tall cells, plus 1-pixel padding.
      expect(grid.width).toBe(1 + 3 * (6 + 1));
      expect(grid.height).toBe(1 + 2 * (4 + 1));
      for (let i = 0; i < 5; i++) {
        const left = 1 + (i % 3) * 7;
        const top = 1 + Math.floor(i / 3) * 5;
        expect(pixelAt(grid, left, top)).toEqual([255, 255, 255, 255]); // the marked pixel, 2 x 2
        expect(pixelAt(grid, left + 1, top + 1)).toEqual([255, 255, 255, 255]);
        const grey = Math.round((255 * i) / 4);
        expect(pixelAt(grid, left + 2, top)).toEqual([grey, grey, grey, 255]);
        expect(pixelAt(grid, left + 5, top + 3)).toEqual([grey, grey, grey, 255]);
      }
      expect(pixelAt(grid, 0, 0)).toEqual([255, 0, 0, 255]); // padding
      expect(pixelAt(grid, 7, 1)).toEqual([255, 0, 0, 255]); // between columns
      expect(pixelAt(grid, 1 + 2 * 7, 6)).toEqual([255, 0, 0, 255]); // the empty sixth cell
      images.dispose();
    });
  });

  it('infers square grey images from [n, h * w] and a square-ish layout', () => {
    const flat = tf.ones([10, 16]);
    const grid = imageGrid(flat, { padding: 0 });
    // ceil(sqrt(10)) = 4 columns, 3 rows of 4 x 4 images.
    expect([grid.width, grid.height]).toEqual([16, 12]);
    expect(pixelAt(grid, 15, 3)).toEqual([255, 255, 255, 255]);
    flat.dispose();
  });

  it('takes flat arrays with imageShape, colour channels, a value range and a row count', () => {
    const rgb = [1, 0, 0, 0, 1, 0, 0, 0, 1, -1, -1, -1]; // four 1 x 1 RGB pixels
    const grid = imageGrid(rgb, { imageShape: [1, 1, 3], rows: 1, padding: 0, range: [-1, 1] });
    expect([grid.width, grid.height]).toEqual([4, 1]);
    expect(pixelAt(grid, 0, 0)).toEqual([255, 128, 128, 255]);
    expect(pixelAt(grid, 3, 0)).toEqual([0, 0, 0, 255]);
  });

  it('clamps values outside the range', () => {
    const grid = imageGrid([2, -3], { imageShape: [1, 1], padding: 0 });
    expect(pixelAt(grid, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixelAt(grid, 1, 0)).toEqual([0, 0, 0, 255]);
  });

  it('rejects shapes it cannot lay out, with the reason', () => {
    const odd = tf.zeros([2, 10]);
    expect(() => imageGrid(odd)).toThrow(
      /cannot infer the image shape of \[2, 10\]; pass `imageShape`/,
    );
    expect(() => imageGrid(odd, { imageShape: [2, 5], rows: 1, columns: 1 })).toThrow(
      /1 x 1 cells cannot hold 2 images/,
    );
    expect(() => imageGrid([1, 2, 3], { imageShape: [2, 2] })).toThrow(
      /not a whole number of \[2, 2\] images/,
    );
    expect(() => imageGrid(odd, { imageShape: [2, 5], scale: 1.5 })).toThrow(
      /`scale` must be a positive integer, got 1.5/,
    );
    odd.dispose();
  });
});
