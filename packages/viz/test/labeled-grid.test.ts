import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { imageGrid, labeledGrid, pixelAt, type RgbaImage, VaeError } from '../src/index.js';

const INK: [number, number, number, number] = [255, 0, 0, 255];

/** Ink pixels inside a rectangle. */
function inkIn(image: RgbaImage, rect: { x: number; y: number; width: number; height: number }) {
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      if (pixelAt(image, x, y).join() === INK.join()) n++;
    }
  }
  return n;
}

describe('labeledGrid', () => {
  // Four 3 x 3 grey images in 2 rows of 2, at scale 4: cells of 12 x 12, padding 2.
  const values = Array.from({ length: 4 * 9 }, (_, i) => (i % 9) / 8);

  it('keeps the grid intact, shifted by the label margins', async () => {
    await expectNoLeaks(() => {
      const images = tf.tensor3d(values, [4, 3, 3]);
      const options = { columns: 2, scale: 4 } as const;
      const plain = imageGrid(images, options);
      const labeled = labeledGrid(images, {
        ...options,
        rowLabels: ['input', 'recon'],
        columnLabels: ['a', 'b'],
        title: 'pairs',
        ink: INK,
      });
      // Row labels are 5 characters: 5 * 6 - 1 = 29 px, plus 2 gaps of 4.
      const left = 29 + 8;
      // Title line (7 px + 2 gaps) and column labels (7 px + 1 gap).
      const top = 7 + 8 + 7 + 4;
      expect(labeled.width).toBe(left + plain.width);
      expect(labeled.height).toBe(top + plain.height);
      for (let y = 0; y < plain.height; y++) {
        for (let x = 0; x < plain.width; x++) {
          expect(pixelAt(labeled, left + x, top + y)).toEqual(pixelAt(plain, x, y));
        }
      }
      images.dispose();
    });
  });

  it('draws each row label beside its row and each column label above its column', () => {
    const images = tf.tensor3d(values, [4, 3, 3]);
    const labeled = labeledGrid(images, {
      columns: 2,
      scale: 4,
      rowLabels: ['x', 'y'],
      columnLabels: ['1', '2'],
      ink: INK,
    });
    images.dispose();
    const left = 5 + 8;
    const top = 7 + 4;
    // Row r's cells span y = top + 2 + r * 14 .. + 12; its label is inside that band, left of the grid.
    for (const row of [0, 1]) {
      const band = { x: 0, y: top + 2 + row * 14, width: left, height: 12 };
      expect(inkIn(labeled, band)).toBeGreaterThan(5);
    }
    // Column c's label sits above the cell spanning x = left + 2 + c * 14 .. + 12.
    for (const column of [0, 1]) {
      const band = { x: left + 2 + column * 14, y: 0, width: 12, height: top };
      expect(inkIn(labeled, band)).toBeGreaterThan(5);
    }
    // Nothing is drawn over the images.
    expect(inkIn(labeled, { x: left, y: top, width: labeled.width - left, height: 30 })).toBe(0);
  });

  it('widens the picture for a long title and rejects more labels than rows', () => {
    const images = tf.tensor3d(values, [4, 3, 3]);
    const title = 'a title much wider than the grid itself';
    const labeled = labeledGrid(images, { columns: 2, title });
    expect(labeled.width).toBe(title.length * 6 - 1 + 8);
    expect(() => labeledGrid(images, { columns: 2, rowLabels: ['a', 'b', 'c'] })).toThrow(VaeError);
    expect(() => labeledGrid(images, { columns: 2, rowLabels: ['a', 'b', 'c'] })).toThrow(
      /3 row and 0 column labels for a grid of 2 rows and 2 columns/,
    );
    images.dispose();
  });
});
