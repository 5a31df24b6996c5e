import type * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { gridCells, type ImageGridOptions, imageGrid } from './image-grid.js';
import { textWidth } from './internal/font.js';
import { drawText, textHeight } from './internal/raster.js';
import { createImage, type Rgba, type RgbaImage } from './rgba-image.js';

/** Options of {@link labeledGrid}: {@link ImageGridOptions} plus the labels. */
export interface LabeledGridOptions extends ImageGridOptions {
  /** A line above the grid (e.g. what the columns sweep). */
  title?: string;
  /** One label per grid row (at most), drawn left of the row, centred on it. */
  rowLabels?: readonly string[];
  /** One label per grid column (at most), drawn above the column, centred on it. */
  columnLabels?: readonly string[];
  /** Size of a font cell in pixels (default 1: 5 x 7 pixel glyphs; letters drawn upper case). */
  textScale?: number;
  /** Colour of the text (default light grey). */
  ink?: Rgba;
}

/** Pixels between a label and what it labels, and around the title. */
const GAP = 4;

/** Copies `source` into `target` with its top-left corner at (left, top). */
function blit(target: RgbaImage, source: RgbaImage, at: { left: number; top: number }): void {
  for (let y = 0; y < source.height; y++) {
    const from = 4 * y * source.width;
    target.data.set(
      source.data.subarray(from, from + 4 * source.width),
      4 * ((at.top + y) * target.width + at.left),
    );
  }
}

/**
 * An image grid ({@link imageGrid}, same layout and options) with a title above
 * it, a label left of each row and a label above each column, in the 5 x 7
 * bitmap font of the plots: say which rows are inputs and which are
 * reconstructions, or which latent dimension a row sweeps and the value of each
 * column. The margins grow to fit the labels; the grid itself is unchanged, its
 * top-left corner at (left margin, top margin).
 *
 * @param images - as for {@link imageGrid} (a tensor is read, not disposed).
 * @param options - the grid's layout ({@link ImageGridOptions}) and the title,
 *   row labels, column labels, text scale and ink.
 * @returns the labelled grid as an {@link RgbaImage}.
 * @throws `VaeError('INVALID_ARGUMENT')` for more row or column labels than the
 *   grid has rows or columns, or a bad `textScale`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { labeledGrid } from '@vae/viz';
 * const images = tf.zeros([4, 28, 28, 1]);
 * const picture = labeledGrid(images, {
 *   columns: 2,
 *   rowLabels: ['input', 'reconstruction'],
 *   title: 'test digits and their reconstructions',
 * });
 * images.dispose();
 * console.log(picture.width, picture.height);
 * ```
 */
export function labeledGrid(
  images: tf.Tensor | ArrayLike<number>,
  options: LabeledGridOptions = {},
): RgbaImage {
  const { title, rowLabels = [], columnLabels = [], textScale = 1 } = options;
  const { ink = [220, 220, 220, 255], padding = 2, background = [48, 48, 48, 255] } = options;
  ensureArgument(
    Number.isInteger(textScale) && textScale >= 1,
    () => `labeledGrid: \`textScale\` must be a positive integer, got ${textScale}`,
  );
  const cells = gridCells(images, options);
  ensureArgument(
    rowLabels.length <= cells.rows && columnLabels.length <= cells.columns,
    () =>
      `labeledGrid: ${rowLabels.length} row and ${columnLabels.length} column labels for a grid of ${cells.rows} rows and ${cells.columns} columns`,
  );
  const grid = imageGrid(images, options);
  const line = textHeight(textScale);
  const widest = Math.max(0, ...rowLabels.map((label) => textWidth(label, textScale)));
  const left = rowLabels.length > 0 ? widest + 2 * GAP : 0;
  const titleHeight = title === undefined ? 0 : line + 2 * GAP;
  const top = titleHeight + (columnLabels.length > 0 ? line + GAP : 0);
  const titleWidth = title === undefined ? 0 : textWidth(title, textScale) + 2 * GAP;
  const out = createImage(Math.max(left + grid.width, titleWidth), top + grid.height, background);
  blit(out, grid, { left, top });
  if (title !== undefined) drawText(out, { text: title, x: GAP, y: GAP, scale: textScale }, ink);
  rowLabels.forEach((text, row) => {
    const middle = top + padding + row * (cells.cellHeight + padding) + cells.cellHeight / 2;
    const x = left - GAP - textWidth(text, textScale);
    drawText(out, { text, x, y: Math.round(middle - line / 2), scale: textScale }, ink);
  });
  columnLabels.forEach((text, column) => {
    const middle = left + padding + column * (cells.cellWidth + padding) + cells.cellWidth / 2;
    const x = Math.round(middle - textWidth(text, textScale) / 2);
    drawText(out, { text, x, y: titleHeight, scale: textScale }, ink);
  });
  return out;
}
