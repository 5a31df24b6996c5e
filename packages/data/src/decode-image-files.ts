import { VaeError } from '@vae/divergence';
import type { ImageDataset } from './dataset.js';
import type { ImageOptions } from './image-options.js';
import { ImageCollector, imageSettings } from './internal/image-collector.js';
import type { RgbaImage } from './internal/pixels.js';

/** Images decoded from user-picked files, with the name of each. */
export interface ImageFilesDataset extends ImageDataset {
  /** Each image's file name (`File.name`, or `file <index>` for a plain `Blob`), `[size]`. */
  readonly names: string[];
}

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function canvasContext(width: number, height: number): Canvas2D | null {
  if (typeof OffscreenCanvas === 'function') {
    return new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas.getContext('2d', { willReadFrequently: true });
}

function checkPlatform(): void {
  const hasCanvas = typeof OffscreenCanvas === 'function' || typeof document !== 'undefined';
  if (typeof createImageBitmap !== 'function' || !hasCanvas) {
    throw new VaeError(
      'UNSUPPORTED',
      'decodeImageFiles: decoding needs `createImageBitmap` and a canvas (`OffscreenCanvas` or `document`), which this platform lacks; in Node use `loadImageFolder` from `@vae/data/node`',
    );
  }
}

async function bitmapOf(file: Blob, name: string): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file, {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
  } catch (error) {
    throw new VaeError(
      'DATA_CORRUPT',
      `decodeImageFiles: cannot decode ${name} (type ${JSON.stringify(file.type)}) as an image: ${String(error)}`,
      { cause: error },
    );
  }
}

function pixelsOf(bitmap: ImageBitmap, name: string): RgbaImage {
  const { width, height } = bitmap;
  const context = canvasContext(width, height);
  if (context === null) {
    throw new VaeError('UNSUPPORTED', `decodeImageFiles: no 2-D canvas context to read ${name}`);
  }
  context.drawImage(bitmap, 0, 0);
  return { data: context.getImageData(0, 0, width, height).data, width, height };
}

/**
 * Decodes images the user picked (`<input type="file">`, drag and drop) in the
 * browser with `createImageBitmap` and a canvas, into one 8-bit {@link ImageDataset}
 * of item shape `[side, side, channels]` (see {@link ImageOptions}; the same
 * conversion, crop and area-averaging resize as `loadImageFolder` in Node). Any
 * format the browser decodes works (PNG, JPEG, WebP, ...).
 *
 * @param files - Picked `File`s or `Blob`s, in any format the browser decodes; read in the given order.
 * @param options - Size, fit, channels and limits (see {@link ImageOptions}).
 * @throws `VaeError('UNSUPPORTED')` where `createImageBitmap` or a canvas is missing
 *   (Node, some workers); `VaeError('DATA_CORRUPT')` naming the file that cannot be
 *   decoded or exceeds `maxPixels`; `VaeError('INVALID_ARGUMENT')` for no files, or
 *   sizes that differ without `side`.
 *
 * @example
 * ```ts browser
 * import { decodeImageFiles } from '@vae/data';
 *
 * const canvas = new OffscreenCanvas(6, 4);
 * canvas.getContext('2d')!.fillRect(0, 0, 6, 4);
 * const png = await canvas.convertToBlob({ type: 'image/png' });
 * const images = await decodeImageFiles([png], { side: 2, channels: 1 });
 * console.log(images.itemShape); // [2, 2, 1]
 * ```
 */
export async function decodeImageFiles(
  files: readonly Blob[],
  options: ImageOptions = {},
): Promise<ImageFilesDataset> {
  const fn = 'decodeImageFiles';
  const settings = imageSettings(fn, options);
  checkPlatform();
  const picked = files.slice(0, settings.limit ?? files.length);
  if (picked.length === 0) {
    throw new VaeError('INVALID_ARGUMENT', `${fn}: expected at least one image file, got none`);
  }
  const collector = new ImageCollector(fn, picked.length, settings);
  const names: string[] = [];
  for (const [index, file] of picked.entries()) {
    const name = 'name' in file && typeof file.name === 'string' ? file.name : `file ${index}`;
    const bitmap = await bitmapOf(file, name);
    try {
      collector.checkDimensions(name, bitmap.width, bitmap.height);
      collector.add(name, pixelsOf(bitmap, name));
    } finally {
      bitmap.close();
    }
    names.push(name);
  }
  return { ...collector.result(), names };
}
