import { VaeError } from '@vae/divergence';
import { writeFileAtomic } from '@vae/divergence/node';
import pngjs from 'pngjs';
import type { RgbaImage } from './rgba-image.js';

/**
 * Encodes an {@link RgbaImage} as PNG bytes (8-bit RGBA) with pngjs.
 *
 * @param image - The image.
 * @returns The PNG file's bytes.
 *
 * @example
 * ```ts
 * import { createImage } from '@vae/viz';
 * import { encodePng } from '@vae/viz/node';
 *
 * const bytes = encodePng(createImage(8, 8, [0, 128, 255, 255]));
 * // The bytes start with the PNG signature: 0x89, then 'PNG'.
 * console.log(new TextDecoder().decode(bytes.subarray(1, 4))); // -> PNG
 * ```
 */
export function encodePng(image: RgbaImage): Uint8Array {
  const png = new pngjs.PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(pngjs.PNG.sync.write(png));
}

/**
 * Decodes PNG bytes into an {@link RgbaImage} (any PNG colour type becomes RGBA).
 *
 * @param bytes - A PNG file's bytes.
 * @returns The image.
 * @throws `VaeError('DATA_CORRUPT')` when the bytes are not a valid PNG.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { createImage, pixelAt } from '@vae/viz';
 * import { decodePng, writePng } from '@vae/viz/node';
 *
 * await writePng('square.png', createImage(4, 4, [10, 20, 30, 255]));
 * const image = decodePng(await readFile('square.png'));
 * console.log(pixelAt(image, 0, 0)); // -> [ 10, 20, 30, 255 ]
 * ```
 */
export function decodePng(bytes: Uint8Array): RgbaImage {
  try {
    const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data) };
  } catch (error) {
    throw new VaeError('DATA_CORRUPT', `decodePng: not a valid PNG (${String(error)})`, {
      cause: error,
    });
  }
}

/**
 * Writes an {@link RgbaImage} to a PNG file, atomically: the bytes go to a
 * temporary file beside `path` that is then renamed over it, so a reader never
 * sees half a file.
 *
 * @param path - The file to write; its folder must exist.
 * @param image - The image.
 *
 * @example
 * ```ts
 * import { mkdir } from 'node:fs/promises';
 * import { createImage } from '@vae/viz';
 * import { writePng } from '@vae/viz/node';
 *
 * await mkdir('runs/mnist', { recursive: true });
 * await writePng('runs/mnist/samples.png', createImage(280, 280, [255, 255, 255, 255]));
 * ```
 */
export async function writePng(path: string, image: RgbaImage): Promise<void> {
  await writeFileAtomic(path, encodePng(image), { durable: false });
}
