import { VaeError } from '@vae/divergence';
import { writeFileAtomic } from '@vae/divergence/node';
import pngjs from 'pngjs';
import type { RgbaImage } from './rgba-image.js';

/**
 * Encodes an {@link RgbaImage} as PNG bytes (8-bit RGBA) with pngjs.
 *
 * @example
 * ```ts
 * import { encodePng } from '@vae/viz/node';
 * const bytes = encodePng(imageGrid(samples, { columns: 8 }));
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
 * @throws `VaeError('DATA_CORRUPT')` when the bytes are not a valid PNG.
 *
 * @example
 * ```ts
 * const image = decodePng(readFileSync('samples.png'));
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
 * @example
 * ```ts
 * import { writePng } from '@vae/viz/node';
 * await writePng('runs/mnist/samples.png', imageGrid(samples, { columns: 8, scale: 2 }));
 * ```
 */
export async function writePng(path: string, image: RgbaImage): Promise<void> {
  await writeFileAtomic(path, encodePng(image), { durable: false });
}
