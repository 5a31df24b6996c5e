import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CanvasLike, createImage, drawToCanvas, VaeError } from '../src/index.js';

// Node has no canvas: a minimal ImageData and a canvas double record what was drawn.
class FakeImageData {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}

describe('drawToCanvas', () => {
  const original = (globalThis as { ImageData?: unknown }).ImageData;
  beforeAll(() => {
    (globalThis as { ImageData?: unknown }).ImageData = FakeImageData;
  });
  afterAll(() => {
    (globalThis as { ImageData?: unknown }).ImageData = original;
  });

  it('resizes the canvas and puts the pixels at the origin', () => {
    const drawn: Array<{ pixels: FakeImageData; x: number; y: number }> = [];
    const canvas = {
      width: 1,
      height: 1,
      getContext: () => ({
        putImageData: (pixels: FakeImageData, x: number, y: number) => drawn.push({ pixels, x, y }),
      }),
    };
    const image = createImage(3, 2, [1, 2, 3, 255]);
    drawToCanvas(canvas as unknown as CanvasLike, image);
    expect([canvas.width, canvas.height]).toEqual([3, 2]);
    expect(drawn).toHaveLength(1);
    expect(drawn[0]!.x).toBe(0);
    expect(Array.from(drawn[0]!.pixels.data)).toEqual(Array.from(image.data));
  });

  it('says so when the canvas has no 2-D context', () => {
    const canvas = { width: 1, height: 1, getContext: () => null };
    let error: unknown;
    try {
      drawToCanvas(canvas as unknown as CanvasLike, createImage(1, 1));
    } catch (caught) {
      error = caught;
    }
    expect(VaeError.isInstance(error) && error.code).toBe('UNSUPPORTED');
  });
});
