import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { EMOJI_CATEGORIES, loadEmojiImages } from '../src/node.js';

/** A 2 x 2 sheet of 3 px cells with a 1 px border; cell (1, 1) is empty. */
function writeSheet(): string {
  const stride = 5;
  const png = new PNG({ width: 2 * stride, height: 2 * stride });
  png.data.fill(0);
  const paint = (cx: number, cy: number, rgba: [number, number, number, number]) => {
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 3; x++) {
        const at = ((cy * stride + 1 + y) * png.width + cx * stride + 1 + x) * 4;
        png.data.set(rgba, at);
      }
    }
  };
  paint(0, 0, [255, 0, 0, 255]); // opaque red
  paint(0, 1, [0, 0, 255, 51]); // blue at alpha 0.2
  paint(1, 0, [0, 255, 0, 255]);
  // A single opaque black pixel in the top-left of cell (1, 0) for the box filter.
  png.data.set([0, 0, 0, 255], ((0 * stride + 1) * png.width + stride + 1) * 4);
  const path = join(mkdtempSync(join(tmpdir(), 'emoji-')), 'sheet.png');
  writeFileSync(path, PNG.sync.write(png));
  return path;
}

describe('loadEmojiImages', () => {
  it('cuts cells, skips empty ones, composites on white and area-averages to 8 bits', async () => {
    const sheetPath = writeSheet();
    const full = await loadEmojiImages({ sheetPath, cellSize: 3, size: 3 });
    expect(full.size).toBe(3); // cell (1, 1) is empty
    expect(full.itemShape).toEqual([3, 3, 3]);
    expect(full.values).toBeInstanceOf(Uint8Array);
    // Column-major order over the sheet: (0, 0), (0, 1), (1, 0).
    expect(Array.from(full.values.subarray(0, 3))).toEqual([255, 0, 0]);
    // Blue at alpha 0.2 over white: (0.8, 0.8, 1) x 255.
    expect(Array.from(full.values.subarray(27, 30))).toEqual([204, 204, 255]);
    // Downscaling 3 -> 2 averages areas of 1.5 x 1.5 px: the black corner pixel keeps
    // weight 1/2.25, so green is 255 (2.25 - 1) / 2.25 = 141.67, rounded to 142.
    const small = await loadEmojiImages({ sheetPath, cellSize: 3, size: 2 });
    const green = small.values.subarray(2 * 12, 3 * 12);
    expect(Array.from(green.subarray(0, 3))).toEqual([0, 142, 0]);
    expect(Array.from(green.subarray(9, 12))).toEqual([0, 255, 0]);
  });

  it('loads the Twemoji sheet as 30 x 30 x 3 uint8 images with disjoint splits', async () => {
    const train = await loadEmojiImages({ split: 'train', limit: 90 });
    const test = await loadEmojiImages({ split: 'test', limit: 10 });
    const all = await loadEmojiImages({ limit: 100 });
    expect(train.size).toBe(90);
    expect(test.size).toBe(10);
    expect(train.values).toBeInstanceOf(Uint8Array);
    expect(train.values.byteLength).toBe(90 * 2700);
    expect(train.itemShape).toEqual([30, 30, 3]);
    let min = 255;
    let max = 0;
    for (const v of all.values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(max - min).toBeGreaterThan(128);
    // Every 10th non-empty cell is a test image.
    expect(test.names[0]).toBe(all.names[9]);
    expect(train.names).not.toContain(test.names[0]);
    expect(all.names[0]).toBe('hash'); // keycap #, the sheet's cell (0, 0)
    for (const label of all.labels) expect(label).toBeLessThan(EMOJI_CATEGORIES.length);
  });

  it('rejects bad options', async () => {
    await expect(loadEmojiImages({ size: 40 })).rejects.toThrow(/`size` must be an integer/);
    await expect(loadEmojiImages({ split: 'valid' as never })).rejects.toThrow(/`split`/);
  });
});
