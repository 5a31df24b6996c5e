/**
 * How image loaders (`loadImageFolder` in Node, {@link decodeImageFiles} in the
 * browser) turn decoded pictures into one 8-bit data set.
 *
 * @example
 * ```ts
 * import type { ImageOptions } from '@vae/data';
 *
 * const faces: ImageOptions = { side: 64, channels: 3, fit: 'crop', limit: 10_000 };
 * ```
 */
export interface ImageOptions {
  /**
   * Resize every image to `side` x `side` pixels by area averaging (default: keep each
   * image's size, which must then be the same for all).
   */
  side?: number;
  /** 1 for grey (BT.601 luma), 3 for RGB (default 3). Transparency is composited over white. */
  channels?: 1 | 3;
  /**
   * With `side`, how a non-square image becomes square: `'crop'` (default) keeps the
   * largest centred square, `'stretch'` resizes each axis on its own.
   */
  fit?: 'crop' | 'stretch';
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
  /** The largest picture accepted, width x height, checked before it is decoded (default 50,000,000). */
  maxPixels?: number;
  /** The most bytes the data set may take (default `DEFAULT_MAX_BYTES`, 1 GiB). */
  maxBytes?: number;
}
