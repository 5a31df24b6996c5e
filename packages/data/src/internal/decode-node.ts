// Decoding PNG and JPEG files in Node with the optional peers pngjs and jpeg-js.
import { VaeError } from '@vae/divergence';
import type { RgbaImage } from './pixels.js';

interface Pngjs {
  PNG: { sync: { read(buffer: Buffer): RgbaImage } };
}
interface JpegJs {
  decode(
    data: Uint8Array,
    options: { useTArray: true; formatAsRGBA: true; maxResolutionInMP: number },
  ): RgbaImage;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function optional<T>(name: string, fn: string): Promise<T> {
  try {
    const module = (await import(name)) as T & { default?: T };
    return module.default ?? module;
  } catch (error) {
    throw new VaeError(
      'UNSUPPORTED',
      `${fn}: decoding needs the optional \`${name}\` package, which is not installed; run \`npm install ${name}\``,
      { cause: error },
    );
  }
}

/** The kind of image file by its first bytes. */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** Width and height from a PNG's IHDR chunk, read before decoding. */
export function pngDimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
  return { width: view.getUint32(16, false), height: view.getUint32(20, false) };
}

/**
 * Decodes a PNG or JPEG file to 8-bit RGBA. `check` sees the dimensions first (for a
 * PNG before anything is inflated, for a JPEG through jpeg-js's own resolution bound).
 *
 * @throws `VaeError('DATA_CORRUPT')` naming the file when it is neither PNG nor JPEG or
 *   cannot be decoded; `VaeError('UNSUPPORTED')` when the decoder package is missing.
 */
export async function decodeImageBytes(
  bytes: Uint8Array,
  file: { name: string; fn: string; maxPixels: number; check(width: number, height: number): void },
): Promise<RgbaImage> {
  const { name, fn } = file;
  const kind = imageKind(bytes);
  if (kind === undefined) {
    const found = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0'));
    throw new VaeError(
      'DATA_CORRUPT',
      `${fn}: ${name} is not a PNG or JPEG file: expected it to start with 89 50 4e 47 (PNG) or ff d8 ff (JPEG), found ${found.join(' ') || 'an empty file'}`,
    );
  }
  if (kind === 'png') {
    const size = pngDimensions(bytes);
    if (size !== undefined) file.check(size.width, size.height);
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let image: RgbaImage;
  try {
    image =
      kind === 'png'
        ? (await optional<Pngjs>('pngjs', fn)).PNG.sync.read(buffer)
        : (await optional<JpegJs>('jpeg-js', fn)).decode(buffer, {
            useTArray: true,
            formatAsRGBA: true,
            maxResolutionInMP: file.maxPixels / 1e6,
          });
  } catch (error) {
    if (VaeError.isInstance(error)) throw error;
    throw new VaeError(
      'DATA_CORRUPT',
      `${fn}: cannot decode ${name} as ${kind.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  file.check(image.width, image.height);
  return image;
}
