import { ensureArgument, formatShape, VaeError } from '@vae/divergence';
import type { ImageDataset, ImageShape } from '../dataset.js';
import type { ImageOptions } from '../image-options.js';
import { DEFAULT_MAX_BYTES } from '../limits.js';
import { centreSquare, fromRgba, type RgbaImage, resizeArea, writeBytes } from './pixels.js';

/** The settled {@link ImageOptions}. */
export interface ImageSettings {
  side: number | undefined;
  channels: 1 | 3;
  fit: 'crop' | 'stretch';
  limit: number | undefined;
  maxPixels: number;
  maxBytes: number;
}

/** Validates {@link ImageOptions} for the function `fn`. */
export function imageSettings(fn: string, options: ImageOptions): ImageSettings {
  const {
    side,
    channels = 3,
    fit = 'crop',
    limit,
    maxPixels = 50_000_000,
    maxBytes = DEFAULT_MAX_BYTES,
  } = options;
  const positive = (v: number | undefined) => v === undefined || (Number.isInteger(v) && v > 0);
  ensureArgument(positive(side), () => `${fn}: \`side\` must be a positive integer, got ${side}`);
  ensureArgument(
    channels === 1 || channels === 3,
    () => `${fn}: \`channels\` must be 1 or 3, got ${channels}`,
  );
  ensureArgument(
    fit === 'crop' || fit === 'stretch',
    () => `${fn}: \`fit\` must be 'crop' or 'stretch', got ${JSON.stringify(fit)}`,
  );
  ensureArgument(
    positive(limit),
    () => `${fn}: \`limit\` must be a positive integer, got ${limit}`,
  );
  ensureArgument(
    positive(maxPixels),
    () => `${fn}: \`maxPixels\` must be a positive integer, got ${maxPixels}`,
  );
  ensureArgument(
    positive(maxBytes),
    () => `${fn}: \`maxBytes\` must be a positive integer, got ${maxBytes}`,
  );
  return { side, channels, fit, limit, maxPixels, maxBytes };
}

/**
 * Gathers decoded images one at a time into one uint8 `[count, h, w, c]` buffer,
 * allocated when the first image fixes the item shape.
 */
export class ImageCollector {
  private values: Uint8Array | undefined;
  private shape: ImageShape | undefined;
  private first = '';
  private added = 0;

  constructor(
    private readonly fn: string,
    private readonly count: number,
    private readonly settings: ImageSettings,
  ) {}

  /** Throws before decoding when a picture of `width` x `height` exceeds `maxPixels`. */
  checkDimensions(name: string, width: number, height: number): void {
    if (width * height > this.settings.maxPixels || width < 1 || height < 1) {
      throw new VaeError(
        'DATA_CORRUPT',
        `${this.fn}: ${name} is ${width} x ${height} pixels; expected at least 1 and at most maxPixels = ${this.settings.maxPixels}`,
      );
    }
  }

  /** Converts, resizes and stores one decoded image. */
  add(name: string, image: RgbaImage): void {
    const { side, channels, fit } = this.settings;
    let pixels = fromRgba(image, channels);
    if (side !== undefined) {
      if (fit === 'crop') pixels = centreSquare(pixels);
      pixels = resizeArea(pixels, side, side);
    }
    if (this.shape === undefined) {
      this.shape = [pixels.height, pixels.width, channels];
      this.first = name;
      this.allocate();
    } else if (pixels.height !== this.shape[0] || pixels.width !== this.shape[1]) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `${this.fn}: ${name} is ${image.width} x ${image.height} pixels (width x height) but ${this.first} is ${this.shape[1]} x ${this.shape[0]}; pass \`side\` to resize every image to one size`,
      );
    }
    writeBytes(pixels, this.values!, this.added * pixels.data.length);
    this.added++;
  }

  private allocate(): void {
    const [h, w, c] = this.shape!;
    const bytes = this.count * h * w * c;
    if (bytes > this.settings.maxBytes) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `${this.fn}: ${this.count} images of ${formatShape(this.shape!)} take ${bytes} bytes, more than maxBytes = ${this.settings.maxBytes}; pass a smaller \`side\` or \`limit\`, or a larger \`maxBytes\``,
      );
    }
    this.values = new Uint8Array(bytes);
  }

  /** The images added so far as a data set (8-bit values, item shape `[h, w, c]`). */
  result(): ImageDataset {
    return {
      size: this.added,
      itemShape: this.shape!,
      values: this.values!.subarray(0, this.added * this.shape!.reduce((a, b) => a * b, 1)),
    };
  }
}
