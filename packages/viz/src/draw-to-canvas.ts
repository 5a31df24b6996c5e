import { VaeError } from '@vae/divergence';
import type { RgbaImage } from './rgba-image.js';

/** A canvas that {@link drawToCanvas} can draw on: the DOM's or an `OffscreenCanvas`. */
export type CanvasLike = HTMLCanvasElement | OffscreenCanvas;

/**
 * Draws an {@link RgbaImage} on a canvas in the browser, resizing the canvas to
 * the image (CSS can scale it further; set `image-rendering: pixelated` to keep
 * pixels sharp).
 *
 * @param canvas - A canvas whose 2-D context is free (not used for WebGL).
 * @param image - The image to draw.
 *
 * @throws `VaeError('UNSUPPORTED')` when the canvas has no 2-D context.
 *
 * @example
 * ```ts browser
 * import '@tensorflow/tfjs-backend-webgl';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { drawToCanvas, imageGrid } from '@vae/viz';
 *
 * const samples = tf.randomUniform([16, 28, 28]); // say, a VAE's samples
 * const canvas = document.createElement('canvas');
 * document.body.append(canvas);
 * drawToCanvas(canvas, imageGrid(samples, { columns: 4 }));
 * ```
 */
export function drawToCanvas(canvas: CanvasLike, image: RgbaImage): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d') as
    | CanvasRenderingContext2D
    | OffscreenCanvasRenderingContext2D
    | null;
  if (context === null) {
    throw new VaeError(
      'UNSUPPORTED',
      'drawToCanvas: the canvas has no 2-D context (is it already used for WebGL?)',
    );
  }
  const pixels = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
  context.putImageData(pixels, 0, 0);
}
