import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { createImage, imageGrid, VaeError } from '../src/index.js';
import { decodePng, encodePng, writePng } from '../src/node.js';

describe('PNG encoding', () => {
  const image = imageGrid([0, 0.5, 1, 0.25, 1, 0, 0.75, 0.1], { imageShape: [2, 2], padding: 1 });

  it('round-trips through pngjs decode, byte for byte', () => {
    const decoded = pngjs.PNG.sync.read(Buffer.from(encodePng(image)));
    expect([decoded.width, decoded.height]).toEqual([image.width, image.height]);
    expect(new Uint8Array(decoded.data)).toEqual(new Uint8Array(image.data));
    expect(decodePng(encodePng(image))).toEqual(image);
  });

  it('writes a file atomically and leaves no temporary file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vae-viz-'));
    const path = join(directory, 'grid.png');
    await writePng(path, createImage(3, 2, [10, 20, 30, 255]));
    await writePng(path, image); // overwrites in place
    expect(readdirSync(directory)).toEqual(['grid.png']);
    expect(decodePng(readFileSync(path))).toEqual(image);
  });

  it('rejects bytes that are not a PNG', () => {
    let error: unknown;
    try {
      decodePng(new Uint8Array([1, 2, 3]));
    } catch (caught) {
      error = caught;
    }
    expect(VaeError.isInstance(error) && error.code).toBe('DATA_CORRUPT');
  });
});
