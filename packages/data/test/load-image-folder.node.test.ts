import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { createDataSource, VaeError } from '../src/index.js';
import { loadImageFolder } from '../src/node.js';

type Rgba = [number, number, number, number];

/** An RGBA image of `width` x `height` whose pixel (x, y) is `paint(x, y)`. */
function rgba(width: number, height: number, paint: (x: number, y: number) => Rgba) {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(paint(x, y), (y * width + x) * 4);
  }
  return { width, height, data };
}

function png(image: ReturnType<typeof rgba>): Uint8Array {
  const out = new PNG({ width: image.width, height: image.height });
  out.data = Buffer.from(image.data);
  return PNG.sync.write(out);
}

/** A greyscale PNG (colour type 0, no alpha) of the given levels. */
function greyPng(width: number, height: number, levels: number[]): Uint8Array {
  const out = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  out.data = Buffer.from(levels);
  return PNG.sync.write(out, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

function jpg(image: ReturnType<typeof rgba>): Uint8Array {
  return jpeg.encode({ ...image, data: Buffer.from(image.data) }, 100).data;
}

function folder(files: Record<string, Uint8Array | string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'vae-images-'));
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), bytes);
  }
  return directory;
}

async function failure(promise: Promise<unknown>): Promise<VaeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!VaeError.isInstance(error)) throw new Error(`expected a VaeError, got ${String(error)}`);
  return error;
}

const flat = (color: Rgba, size = 4) => rgba(size, size, () => color);

describe('loadImageFolder', () => {
  it('reads PNG and JPEG files in name order into one uint8 [n, h, w, 3] buffer', async () => {
    const directory = folder({
      'b.png': png(flat([255, 0, 0, 255])),
      'a.jpg': jpg(flat([0, 0, 255, 255])),
      'c.PNG': png(flat([10, 20, 30, 0])), // fully transparent: white
      'notes.txt': 'not an image',
    });
    const images = await loadImageFolder(directory);
    expect(images.files).toEqual(['a.jpg', 'b.png', 'c.PNG']);
    expect(images.size).toBe(3);
    expect(images.itemShape).toEqual([4, 4, 3]);
    expect(images.values).toBeInstanceOf(Uint8Array);
    expect(images.values.byteLength).toBe(3 * 4 * 4 * 3);
    expect(images.labels).toBeUndefined();
    const pixel = (i: number) => Array.from(images.values.subarray(i * 48, i * 48 + 3));
    // JPEG at quality 100 of a flat colour: within 3 levels of (0, 0, 255).
    pixel(0).forEach((v, c) => {
      expect(Math.abs(v - [0, 0, 255][c]!)).toBeLessThanOrEqual(3);
    });
    expect(pixel(1)).toEqual([255, 0, 0]);
    expect(pixel(2)).toEqual([255, 255, 255]);
  });

  it('converts to grey by BT.601 luma, composites alpha over white and reads greyscale PNGs', async () => {
    const directory = folder({
      'red.png': png(flat([255, 0, 0, 255], 2)),
      'half.png': png(flat([0, 0, 0, 128], 2)),
      'grey.png': greyPng(2, 2, [0, 50, 100, 250]),
    });
    const images = await loadImageFolder(directory, { channels: 1 });
    expect(images.itemShape).toEqual([2, 2, 1]);
    expect(images.files).toEqual(['grey.png', 'half.png', 'red.png']);
    expect(Array.from(images.values)).toEqual([
      ...[0, 50, 100, 250],
      ...Array(4).fill(Math.round(255 * (1 - 128 / 255))), // black at alpha 128/255 over white: 127
      ...Array(4).fill(Math.round(0.299 * 255)), // 76
    ]);
    const rgb = await loadImageFolder(directory, { limit: 1 });
    expect(rgb.size).toBe(1);
    expect(Array.from(rgb.values.subarray(0, 6))).toEqual([0, 0, 0, 50, 50, 50]);
  });

  it('resizes by area averaging: a 6 x 6 image to 4 x 4 weights source pixels by overlap', async () => {
    // One black pixel at (0, 0) on white: output (0, 0) covers 1.5 x 1.5 source pixels.
    const dot = rgba(6, 6, (x, y) => (x === 0 && y === 0 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    // A checkerboard averages to 127.5 everywhere when halved.
    const checks = rgba(8, 8, (x, y) =>
      (x + y) % 2 === 0 ? [0, 0, 0, 255] : [255, 255, 255, 255],
    );
    const directory = folder({ 'a.png': png(dot), 'b.png': png(checks) });
    const images = await loadImageFolder(directory, { side: 4, channels: 1 });
    expect(images.itemShape).toEqual([4, 4, 1]);
    const dotOut = Array.from(images.values.subarray(0, 16));
    expect(dotOut[0]).toBe(Math.round(255 * (1 - 1 / 2.25))); // 142
    expect(dotOut[1]).toBe(255);
    expect(Array.from(images.values.subarray(16, 32))).toEqual(Array(16).fill(128));
    // Enlarging 4 x 4 to 8 x 8 repeats each pixel.
    const up = await loadImageFolder(folder({ 'g.png': greyPng(2, 2, [0, 50, 100, 250]) }), {
      side: 4,
      channels: 1,
    });
    expect(Array.from(up.values.subarray(0, 8))).toEqual([0, 0, 50, 50, 0, 0, 50, 50]);
  });

  it('crops a wide image to its centred square by default, or stretches it on request', async () => {
    // 8 x 4: the two left columns red, the rest white.
    const wide = rgba(8, 4, (x) => (x < 2 ? [255, 0, 0, 255] : [255, 255, 255, 255]));
    const directory = folder({ 'wide.png': png(wide) });
    const cropped = await loadImageFolder(directory, { side: 2 });
    expect(Array.from(cropped.values)).toEqual(Array(12).fill(255)); // columns 2..5: white
    const stretched = await loadImageFolder(directory, { side: 2, fit: 'stretch' });
    // The left output column averages source columns 0..3: half red, half white.
    expect(Array.from(stretched.values.subarray(0, 3))).toEqual([255, 128, 128]);
    expect(Array.from(stretched.values.subarray(3, 6))).toEqual([255, 255, 255]);
  });

  it('labels images by subfolder', async () => {
    const directory = folder({
      'dogs/1.png': png(flat([0, 0, 0, 255], 2)),
      'cats/2.png': png(flat([9, 9, 9, 255], 2)),
      'cats/1.jpg': jpg(flat([200, 200, 200, 255], 2)),
      'stray.png': png(flat([1, 1, 1, 255], 2)),
    });
    const images = await loadImageFolder(directory, { labels: 'subfolders' });
    expect(images.classNames).toEqual(['cats', 'dogs']);
    expect(images.files).toEqual([
      join('cats', '1.jpg'),
      join('cats', '2.png'),
      join('dogs', '1.png'),
    ]);
    expect(Array.from(images.labels!)).toEqual([0, 0, 1]);
  });

  it('rejects different sizes without `side`, naming both files', async () => {
    const directory = folder({
      'a.png': png(flat([0, 0, 0, 255], 4)),
      'b.png': png(rgba(5, 3, () => [0, 0, 0, 255])),
    });
    const error = await failure(loadImageFolder(directory));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      `loadImageFolder: ${join(directory, 'b.png')} is 5 x 3 pixels (width x height) but ${join(directory, 'a.png')} is 4 x 4; pass \`side\` to resize every image to one size`,
    );
    expect((await loadImageFolder(directory, { side: 3 })).itemShape).toEqual([3, 3, 3]);
  });

  it('rejects an empty folder and a missing one', async () => {
    const empty = folder({ 'readme.txt': 'no images here' });
    const error = await failure(loadImageFolder(empty));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      `loadImageFolder: expected at least one .png, .jpg or .jpeg file in ${empty}, found none`,
    );
    const missing = await failure(loadImageFolder(join(empty, 'nope')));
    expect(missing.code).toBe('DATA_CORRUPT');
    expect(missing.message).toContain(`cannot read the folder ${join(empty, 'nope')}`);
  });

  it('names an unreadable, truncated or mislabelled file and reads a JPEG named .png', async () => {
    const good = png(flat([0, 0, 0, 255]));
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'x.png',
        new TextEncoder().encode('GIF89a, not a png'),
        /x\.png is not a PNG or JPEG file: expected it to start with 89 50 4e 47 \(PNG\) or ff d8 ff \(JPEG\), found 47 49 46 38/,
      ],
      ['y.png', good.subarray(0, good.length - 20), /cannot decode .*y\.png as PNG/],
      [
        'z.jpg',
        Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]),
        /cannot decode .*z\.jpg as JPEG/,
      ],
      ['e.jpeg', new Uint8Array(0), /e\.jpeg is not a PNG or JPEG file: .* found an empty file/],
    ];
    for (const [name, bytes, message] of cases) {
      const error = await failure(loadImageFolder(folder({ [name]: bytes })));
      expect(error.code).toBe('DATA_CORRUPT');
      expect(error.message).toMatch(message);
    }
    const disguised = await loadImageFolder(
      folder({ 'photo.png': jpg(flat([255, 255, 255, 255])) }),
    );
    expect(disguised.values[0]).toBeGreaterThanOrEqual(252);
  });

  it('rejects a PNG whose header announces more than maxPixels before decoding it', async () => {
    const forged = png(flat([0, 0, 0, 255], 2));
    const view = new DataView(forged.buffer, forged.byteOffset);
    view.setUint32(16, 100_000, false); // IHDR width
    view.setUint32(20, 100_000, false); // IHDR height
    const directory = folder({ 'huge.png': forged });
    const error = await failure(loadImageFolder(directory));
    expect(error.code).toBe('DATA_CORRUPT');
    expect(error.message).toBe(
      `loadImageFolder: ${join(directory, 'huge.png')} is 100000 x 100000 pixels; expected at least 1 and at most maxPixels = 50000000`,
    );
    expect(
      (
        await failure(
          loadImageFolder(folder({ 'a.png': png(flat([0, 0, 0, 255], 4)) }), { maxPixels: 15 }),
        )
      ).message,
    ).toMatch(/is 4 x 4 pixels/);
  });

  it('feeds a data source in the folder shape, as float32 batches of k / 255', async () => {
    const directory = folder({
      'a.png': greyPng(2, 2, [0, 51, 102, 255]),
      'b.png': greyPng(2, 2, [255, 255, 0, 0]),
    });
    const images = await loadImageFolder(directory, { channels: 1 });
    const batch = createDataSource(images).getBatch([1, 0]);
    expect(batch.shape).toEqual([2, 2, 2, 1]);
    expect(Array.from(batch.dataSync())).toEqual([1, 1, 0, 0, 0, 0.2, 0.4, 1].map(Math.fround));
    batch.dispose();
  });

  it('rejects bad options', async () => {
    const directory = folder({ 'a.png': png(flat([0, 0, 0, 255])) });
    await expect(loadImageFolder(directory, { side: 0 })).rejects.toThrow(
      /`side` must be a positive integer, got 0/,
    );
    await expect(loadImageFolder(directory, { channels: 2 as 1 })).rejects.toThrow(
      /`channels` must be 1 or 3, got 2/,
    );
    await expect(loadImageFolder(directory, { fit: 'fill' as 'crop' })).rejects.toThrow(
      /`fit` must be 'crop' or 'stretch'/,
    );
  });
});
