// Pictures of a 2-D density: the data as a histogram, the flow's density on a grid, and a
// histogram of its samples, side by side. Browser-safe: an RgbaImage for a PNG (Node) or a
// canvas (drawToCanvas).
import * as tf from '@tensorflow/tfjs-core';
import type { FlowModel } from '@vae/nn';
import { imageGrid, type RgbaImage } from '@vae/viz';

/** A rectangle of the plane, [xMin, xMax] x [yMin, yMax]. */
export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** A grid of `height` rows (top row: yMax) and `width` columns (left: xMin) over `bounds`. */
export interface GridSpec {
  bounds: Bounds;
  width: number;
  height: number;
}

/** Values on a grid, one per cell, row-major from the top-left. */
export interface Grid {
  width: number;
  height: number;
  values: Float32Array;
}

/** The points' bounding box, padded by `padding` on every side. */
export function boundsOf(points: Float32Array, padding = 0.5): Bounds {
  const b = { xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity };
  for (let i = 0; i < points.length; i += 2) {
    b.xMin = Math.min(b.xMin, points[i]!);
    b.xMax = Math.max(b.xMax, points[i]!);
    b.yMin = Math.min(b.yMin, points[i + 1]!);
    b.yMax = Math.max(b.yMax, points[i + 1]!);
  }
  return {
    xMin: b.xMin - padding,
    xMax: b.xMax + padding,
    yMin: b.yMin - padding,
    yMax: b.yMax + padding,
  };
}

/** The centres of the grid's cells as points [height * width, 2], row by row from the top. */
function cellCentres({ bounds, width, height }: GridSpec): Float32Array {
  const out = new Float32Array(width * height * 2);
  const dx = (bounds.xMax - bounds.xMin) / width;
  const dy = (bounds.yMax - bounds.yMin) / height;
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const at = 2 * (row * width + col);
      out[at] = bounds.xMin + (col + 0.5) * dx;
      out[at + 1] = bounds.yMax - (row + 0.5) * dy;
    }
  }
  return out;
}

/** The model's density exp(log p) at the centre of every cell (evaluated in chunks). */
export function densityGrid(model: FlowModel, spec: GridSpec): Grid {
  const { width, height } = spec;
  const centres = cellCentres(spec);
  const values = new Float32Array(width * height);
  const chunk = 4096;
  for (let start = 0; start < width * height; start += chunk) {
    const count = Math.min(chunk, width * height - start);
    const part = tf.tidy(() => {
      const x = tf.tensor2d(centres.subarray(2 * start, 2 * (start + count)), [count, 2]);
      return tf.exp(model.logProb(x)).dataSync() as Float32Array;
    });
    values.set(part, start);
  }
  return { width, height, values };
}

/** A 2-D histogram of `points` on the grid (counts per cell). */
export function histogramGrid(points: Float32Array, spec: GridSpec): Grid {
  const { bounds, width, height } = spec;
  const values = new Float32Array(width * height);
  for (let i = 0; i < points.length; i += 2) {
    const col = Math.floor(((points[i]! - bounds.xMin) / (bounds.xMax - bounds.xMin)) * width);
    const row = Math.floor(((bounds.yMax - points[i + 1]!) / (bounds.yMax - bounds.yMin)) * height);
    if (col >= 0 && col < width && row >= 0 && row < height) values[row * width + col]! += 1;
  }
  return { width, height, values };
}

/** Dark blue -> purple -> orange -> pale yellow, for t in [0, 1]. */
const STOPS: readonly (readonly [number, number, number])[] = [
  [0.02, 0.02, 0.1],
  [0.35, 0.08, 0.45],
  [0.85, 0.3, 0.25],
  [0.99, 0.75, 0.3],
  [0.99, 0.98, 0.75],
];

function colour(t: number): readonly [number, number, number] {
  const x = Math.min(Math.max(t, 0), 1) * (STOPS.length - 1);
  const i = Math.min(Math.floor(x), STOPS.length - 2);
  const f = x - i;
  const [a, b] = [STOPS[i]!, STOPS[i + 1]!];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/** The grid as RGB values in [0, 1] (`[height, width, 3]` row-major), scaled by its maximum. */
function colourGrid(grid: Grid): Float32Array {
  const max = grid.values.reduce((m, v) => Math.max(m, v), 0) || 1;
  const rgb = new Float32Array(grid.values.length * 3);
  grid.values.forEach((v, i) => {
    rgb.set(colour(Math.sqrt(v / max)), 3 * i);
  });
  return rgb;
}

/**
 * Grids of equal size side by side (the data, the learned density, the flow's samples), as one
 * RGBA picture; each is coloured by the square root of its value over its maximum.
 */
export function sideBySide(grids: readonly Grid[], options: { scale?: number } = {}): RgbaImage {
  const [first] = grids;
  if (first === undefined) throw new RangeError('sideBySide: no grids');
  const rgb = new Float32Array(grids.length * first.values.length * 3);
  grids.forEach((grid, i) => {
    rgb.set(colourGrid(grid), i * first.values.length * 3);
  });
  return imageGrid(rgb, {
    imageShape: [first.height, first.width, 3],
    columns: grids.length,
    scale: options.scale ?? 2,
    padding: 6,
    background: [255, 255, 255, 255],
  });
}
