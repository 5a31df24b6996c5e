/**
 * Image grids and line plots as RGBA images, and drawing them on a canvas in
 * the browser. PNG files (Node) are in `@vae/viz/node`.
 *
 * @module @vae/viz
 */
// Public API of @vae/viz: list every exported name explicitly (no export *).
// Node-only PNG files live in `@vae/viz/node` (src/node.ts).
export { VaeError } from '@vae/divergence';
export { type CanvasLike, drawToCanvas } from './draw-to-canvas.js';
export { type ImageGridOptions, imageGrid } from './image-grid.js';
export { type LabeledGridOptions, labeledGrid } from './labeled-grid.js';
export {
  type LinePlotOptions,
  linePlot,
  PLOT_PALETTE,
  type PlotImage,
  type PlotSeries,
  plotToPixel,
} from './line-plot.js';
export { createImage, pixelAt, type Rgba, type RgbaImage } from './rgba-image.js';
