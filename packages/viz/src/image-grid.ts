import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument, formatShape } from '@vae/divergence';
import { fillRect } from './internal/raster.js';
import { createImage, type Rgba, type RgbaImage } from './rgba-image.js';

/** Options for {@link imageGrid}. */
export interface ImageGridOptions {
  /** `[height, width]` or `[height, width, channels]` of one image; needed for flat inputs that are not square grey images. */
  imageShape?: readonly [number, number] | readonly [number, number, number];
  /** Images per row (default: `ceil(n / rows)` when `rows` is given, else `ceil(sqrt(n))`). */
  columns?: number;
  /** Rows (default: `ceil(n / columns)`). */
  rows?: number;
  /** Pixels of background around and between images (default 2). */
  padding?: number;
  /** Integer magnification, nearest neighbour (default 1). */
  scale?: number;
  /** The value range mapped to 0-255, clamped (default `[0, 1]`). */
  range?: readonly [number, number];
  /** Colour of the padding (default dark grey). */
  background?: Rgba;
}

interface Layout {
  count: number;
  height: number;
  width: number;
  channels: number;
}

function layoutOf(shape: readonly number[], length: number, options: ImageGridOptions): Layout {
  if (options.imageShape !== undefined) {
    const [height, width, channels = 1] = options.imageShape;
    const per = height * width * channels;
    ensureArgument(
      length % per === 0,
      () =>
        `imageGrid: ${length} values are not a whole number of ${formatShape(options.imageShape!)} images`,
    );
    return { count: length / per, height, width, channels };
  }
  if (shape.length === 4)
    return { count: shape[0]!, height: shape[1]!, width: shape[2]!, channels: shape[3]! };
  if (shape.length === 3)
    return { count: shape[0]!, height: shape[1]!, width: shape[2]!, channels: 1 };
  if (shape.length === 2) {
    const side = Math.round(Math.sqrt(shape[1]!));
    ensureArgument(
      side * side === shape[1],
      () => `imageGrid: cannot infer the image shape of ${formatShape(shape)}; pass \`imageShape\``,
    );
    return { count: shape[0]!, height: side, width: side, channels: 1 };
  }
  throw new RangeError('unreachable');
}

function checkOptions(
  layout: Layout,
  options: ImageGridOptions,
): { rows: number; columns: number } {
  const { padding = 2, scale = 1 } = options;
  ensureArgument(layout.count > 0, () => 'imageGrid: got no images');
  ensureArgument(
    [1, 3, 4].includes(layout.channels),
    () => `imageGrid: images must have 1, 3 or 4 channels, got ${layout.channels}`,
  );
  ensureArgument(
    Number.isInteger(scale) && scale >= 1,
    () => `imageGrid: \`scale\` must be a positive integer, got ${scale}`,
  );
  ensureArgument(
    Number.isInteger(padding) && padding >= 0,
    () => `imageGrid: \`padding\` must be a non-negative integer, got ${padding}`,
  );
  const columns =
    options.columns ??
    (options.rows === undefined
      ? Math.ceil(Math.sqrt(layout.count))
      : Math.ceil(layout.count / options.rows));
  const rows = options.rows ?? Math.ceil(layout.count / columns);
  ensureArgument(
    Number.isInteger(columns) && columns > 0 && Number.isInteger(rows) && rows > 0,
    () => `imageGrid: \`rows\` and \`columns\` must be positive integers, got ${rows} x ${columns}`,
  );
  ensureArgument(
    rows * columns >= layout.count,
    () => `imageGrid: ${rows} x ${columns} cells cannot hold ${layout.count} images`,
  );
  return { rows, columns };
}

/**
 * Where {@link imageGrid} puts its cells: rows, columns and the size of a cell in
 * pixels (scale included). For helpers of this package (not exported publicly).
 */
export function gridCells(
  images: tf.Tensor | ArrayLike<number>,
  options: ImageGridOptions = {},
): { rows: number; columns: number; cellWidth: number; cellHeight: number } {
  const isTensor = images instanceof tf.Tensor;
  const length = isTensor ? images.size : images.length;
  const layout = layoutOf(isTensor ? images.shape : [length], length, options);
  const { rows, columns } = checkOptions(layout, options);
  const scale = options.scale ?? 1;
  return { rows, columns, cellWidth: layout.width * scale, cellHeight: layout.height * scale };
}

/**
 * Tiles images into one RGBA picture: image i goes to row `floor(i / columns)`,
 * column `i % columns`, its top-left pixel at
 * `(padding + column * (width * scale + padding), padding + row * (height * scale + padding))`.
 * Grey images (1 channel) are drawn grey, 3 channels as RGB, 4 as RGBA.
 *
 * @param images - `[n, h, w, c]`, `[n, h, w]` or `[n, h * w]` (square grey images)
 *   as a tensor (not disposed; read synchronously), or flat values with `imageShape`.
 * @param options - Layout (`columns`, `rows`, `padding`, `scale`), the value `range`, `imageShape`.
 * @returns the grid as an {@link RgbaImage}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { imageGrid } from '@vae/viz';
 * import { writePng } from '@vae/viz/node';
 *
 * const samples = tf.randomUniform([64, 784], 0, 1, 'float32', 1); // say, a VAE's samples: [64, 784]
 * const grid = imageGrid(samples, { columns: 8, scale: 2 }); // 28 x 28 grey images
 * await writePng('samples.png', grid);
 * samples.dispose(); // imageGrid never disposes its input
 * ```
 */
export function imageGrid(
  images: tf.Tensor | ArrayLike<number>,
  options: ImageGridOptions = {},
): RgbaImage {
  const isTensor = images instanceof tf.Tensor;
  const values = isTensor ? images.dataSync() : images;
  ensureArgument(
    isTensor || options.imageShape !== undefined,
    () => 'imageGrid: flat values need `imageShape`',
  );
  const layout = layoutOf(isTensor ? images.shape : [values.length], values.length, options);
  const { rows, columns } = checkOptions(layout, options);
  const { padding = 2, scale = 1, range = [0, 1], background = [48, 48, 48, 255] } = options;
  const cellWidth = layout.width * scale;
  const cellHeight = layout.height * scale;
  const grid = createImage(
    padding + columns * (cellWidth + padding),
    padding + rows * (cellHeight + padding),
    background,
  );
  const [low, high] = range;
  const toByte = (v: number) => Math.round((255 * (v - low)) / (high - low));
  const per = layout.height * layout.width * layout.channels;
  for (let n = 0; n < layout.count; n++) {
    const left = padding + (n % columns) * (cellWidth + padding);
    const top = padding + Math.floor(n / columns) * (cellHeight + padding);
    for (let y = 0; y < layout.height; y++) {
      for (let x = 0; x < layout.width; x++) {
        const at = n * per + (y * layout.width + x) * layout.channels;
        const first = toByte(values[at]!);
        const color: Rgba =
          layout.channels === 1
            ? [first, first, first, 255]
            : [
                first,
                toByte(values[at + 1]!),
                toByte(values[at + 2]!),
                layout.channels === 4 ? toByte(values[at + 3]!) : 255,
              ];
        fillRect(
          grid,
          { x: left + x * scale, y: top + y * scale, width: scale, height: scale },
          color,
        );
      }
    }
  }
  return grid;
}
