import { ensureArgument } from '@vae/divergence';

/** An RGBA colour, each channel 0-255. */
export type Rgba = readonly [number, number, number, number];

/**
 * An image as an RGBA pixel buffer, row-major from the top-left: pixel (x, y)
 * is `data[4 * (y * width + x) .. + 3]`. The layout of the browser's `ImageData`
 * and of pngjs, so it goes to a canvas or a PNG file without conversion.
 */
export interface RgbaImage {
  /** Pixels per row. */
  width: number;
  /** Rows. */
  height: number;
  /** `4 * width * height` bytes: red, green, blue, alpha per pixel. */
  data: Uint8ClampedArray;
}

/**
 * A blank image filled with one colour.
 *
 * @param width - Pixels, a positive integer.
 * @param height - Pixels, a positive integer.
 * @param fill - The colour of every pixel (default opaque black).
 * @returns A new image.
 *
 * @example
 * ```ts
 * import { createImage } from '@vae/viz';
 *
 * const white = createImage(64, 32, [255, 255, 255, 255]);
 * console.log(white.width, white.height, white.data.length); // -> 64 32 8192
 * ```
 */
export function createImage(width: number, height: number, fill: Rgba = [0, 0, 0, 255]): RgbaImage {
  ensureArgument(
    Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0,
    () =>
      `createImage: \`width\` and \`height\` must be positive integers, got ${width} x ${height}`,
  );
  const data = new Uint8ClampedArray(4 * width * height);
  for (let i = 0; i < data.length; i += 4) data.set(fill, i);
  return { width, height, data };
}

/**
 * The colour of pixel (x, y).
 *
 * @param image - The image.
 * @param x - Column, from 0 at the left.
 * @param y - Row, from 0 at the top.
 * @returns Red, green, blue and alpha, 0-255 each.
 *
 * @example
 * ```ts
 * import { createImage, pixelAt } from '@vae/viz';
 *
 * const image = createImage(16, 8, [255, 0, 0, 255]);
 * const [r, g, b, a] = pixelAt(image, 10, 5);
 * console.log(r, g, b, a); // -> 255 0 0 255
 * ```
 */
export function pixelAt(image: RgbaImage, x: number, y: number): Rgba {
  ensureArgument(
    x >= 0 && x < image.width && y >= 0 && y < image.height,
    () => `pixelAt: (${x}, ${y}) is outside the ${image.width} x ${image.height} image`,
  );
  const i = 4 * (y * image.width + x);
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!, image.data[i + 3]!];
}
