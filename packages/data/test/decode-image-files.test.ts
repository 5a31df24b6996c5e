import { describe, expect, it } from 'vitest';
import { decodeImageFiles, VaeError } from '../src/index.js';

async function failure(promise: Promise<unknown>): Promise<VaeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!VaeError.isInstance(error)) throw new Error(`expected a VaeError, got ${String(error)}`);
  return error;
}

/** A PNG drawn in the test: `width` x 2, the left half red, the right half blue. */
async function halves(width: number, name: string): Promise<File> {
  const canvas = new OffscreenCanvas(width, 2);
  const context = canvas.getContext('2d')!;
  context.fillStyle = 'rgb(255, 0, 0)';
  context.fillRect(0, 0, width / 2, 2);
  context.fillStyle = 'rgb(0, 0, 255)';
  context.fillRect(width / 2, 0, width / 2, 2);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], name, { type: 'image/png' });
}

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];

describe('decodeImageFiles', () => {
  if (typeof createImageBitmap !== 'function') {
    // Node: no createImageBitmap. The browser projects run the decoding tests below.
    it('fails with a typed UNSUPPORTED error that points to loadImageFolder', async () => {
      const error = await failure(decodeImageFiles([new Blob([new Uint8Array(4)])]));
      expect(error.code).toBe('UNSUPPORTED');
      expect(error.message).toMatch(
        /needs `createImageBitmap` and a canvas .* use `loadImageFolder` from `@vae\/data\/node`/,
      );
    });
    return;
  }

  it('decodes PNGs made in the test into uint8 [n, h, w, 3], keeping their size', async () => {
    const images = await decodeImageFiles([await halves(4, 'a.png'), await halves(4, 'b.png')]);
    expect(images.names).toEqual(['a.png', 'b.png']);
    expect(images.size).toBe(2);
    expect(images.itemShape).toEqual([2, 4, 3]);
    expect(images.values).toBeInstanceOf(Uint8Array);
    expect(images.values.byteLength).toBe(2 * 2 * 4 * 3);
    const row = [...RED, ...RED, ...BLUE, ...BLUE];
    expect(Array.from(images.values.subarray(0, 24))).toEqual([...row, ...row]);
  });

  it('crops, resizes and converts to grey like loadImageFolder', async () => {
    // The centred 2 x 2 square of a 4 x 2 image: one red column, one blue column.
    const grey = await decodeImageFiles([await halves(4, 'a.png')], { side: 2, channels: 1 });
    expect(grey.itemShape).toEqual([2, 2, 1]);
    const red = Math.round(0.299 * 255);
    const blue = Math.round(0.114 * 255);
    expect(Array.from(grey.values)).toEqual([red, blue, red, blue]);
    // Stretched to 2 x 2, then each output pixel averages two source pixels of one colour.
    const stretched = await decodeImageFiles([await halves(4, 'a.png')], {
      side: 2,
      fit: 'stretch',
    });
    expect(Array.from(stretched.values.subarray(0, 6))).toEqual([...RED, ...BLUE]);
  });

  it('rejects sizes that differ without `side`, and a file that is not an image, naming them', async () => {
    const mixed = await failure(
      decodeImageFiles([await halves(4, 'a.png'), await halves(6, 'wide.png')]),
    );
    expect(mixed.code).toBe('INVALID_ARGUMENT');
    expect(mixed.message).toBe(
      'decodeImageFiles: wide.png is 6 x 2 pixels (width x height) but a.png is 4 x 2; pass `side` to resize every image to one size',
    );
    const text = new File(['not an image'], 'notes.png', { type: 'image/png' });
    const corrupt = await failure(decodeImageFiles([text]));
    expect(corrupt.code).toBe('DATA_CORRUPT');
    expect(corrupt.message).toMatch(
      /^decodeImageFiles: cannot decode notes\.png \(type "image\/png"\) as an image/,
    );
    expect((await failure(decodeImageFiles([]))).code).toBe('INVALID_ARGUMENT');
  });
});
