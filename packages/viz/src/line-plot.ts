import { ensureArgument } from '@vae/divergence';
import { clipSegment, inBox } from './internal/clip.js';
import { textWidth } from './internal/font.js';
import { drawLine, drawText, fillRect, textHeight } from './internal/raster.js';
import { niceTicks } from './internal/ticks.js';
import { createImage, type Rgba, type RgbaImage } from './rgba-image.js';

/** One curve of a {@link linePlot}. */
export interface PlotSeries {
  /** Shown in the legend. */
  name: string;
  /** The values; non-finite ones are skipped (the line breaks there). */
  y: readonly number[];
  /** The abscissae (default `1, 2, ..., y.length`, e.g. epochs). */
  x?: readonly number[];
  /** Line colour (default: from a palette, by position). */
  color?: Rgba;
}

/** Options for {@link linePlot}. */
export interface LinePlotOptions {
  /** Image width in pixels (default 640). */
  width?: number;
  /** Image height in pixels (default 400). */
  height?: number;
  /** Printed above the plot. */
  title?: string;
  /** Printed under the x axis. */
  xLabel?: string;
  /** Printed above the y axis. */
  yLabel?: string;
  /** Size of a font cell in pixels (default 1: 5 x 7 pixel glyphs). */
  textScale?: number;
  /**
   * The y range [low, high] to show, rounded out to ticks (default: every value's). Curves
   * are clipped to it: a long run's last nats stay readable beside its first epochs.
   */
  yRange?: readonly [number, number];
}

/** A plot image with the mapping from data to pixels, for placing marks or checking curves. */
export interface PlotImage extends RgbaImage {
  /** The plotting area in pixels (inside the axes). */
  area: {
    /** The column of the y axis. */
    left: number;
    /** The row of the area's top edge. */
    top: number;
    /** The column of the area's right edge. */
    right: number;
    /** The row of the x axis. */
    bottom: number;
  };
  /** The x range the area spans, after rounding out to ticks. */
  xDomain: [number, number];
  /** The y range the area spans, after rounding out to ticks. */
  yDomain: [number, number];
}

/** The default curve colours: blue, orange, green, red, purple (colour-blind friendly). */
export const PLOT_PALETTE: readonly Rgba[] = [
  [31, 119, 180, 255],
  [255, 127, 14, 255],
  [44, 160, 44, 255],
  [214, 39, 40, 255],
  [148, 103, 189, 255],
];

const INK: Rgba = [0, 0, 0, 255];
const GRID: Rgba = [225, 225, 225, 255];
const WHITE: Rgba = [255, 255, 255, 255];

function xsOf(series: PlotSeries): readonly number[] {
  return series.x ?? series.y.map((_, i) => i + 1);
}

function extent(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? [0, 1] : [Math.min(...finite), Math.max(...finite)];
}

/**
 * Maps a data point to pixel coordinates of a {@link PlotImage}.
 *
 * @param plot - A plot from {@link linePlot}.
 * @param x - The abscissa, in data units.
 * @param y - The ordinate, in data units.
 * @returns Pixel coordinates (fractional; `y` grows downwards).
 *
 * @example
 * ```ts
 * import { linePlot, plotToPixel } from '@vae/viz';
 *
 * const plot = linePlot([{ name: 'train', y: [180, 130, 121, 118] }]);
 * const { x, y } = plotToPixel(plot, 3, 120.5); // where epoch 3 at 120.5 nats is drawn
 * console.log(Math.round(x), Math.round(y));
 * ```
 */
export function plotToPixel(
  plot: PlotImage,
  x: number,
  y: number,
): {
  /** Column, in pixels from the left. */
  x: number;
  /** Row, in pixels from the top. */
  y: number;
} {
  const { area, xDomain, yDomain } = plot;
  return {
    x: area.left + ((x - xDomain[0]) / (xDomain[1] - xDomain[0])) * (area.right - area.left),
    y: area.bottom - ((y - yDomain[0]) / (yDomain[1] - yDomain[0])) * (area.bottom - area.top),
  };
}

/**
 * Renders line curves (say train and test loss per epoch) to an RGBA image
 * with axes, ticks, tick labels, grid lines, a legend and optional title and
 * axis labels, in pure TypeScript (a small rasterizer and a 5 x 7 bitmap font),
 * so it runs the same in Node and the browser.
 *
 * @param series - The curves, at least one.
 * @param options - Size, `title`, axis labels, `textScale`.
 * @returns The plot, with the mapping from data to pixels ({@link plotToPixel}).
 *
 * @example
 * ```ts
 * import { linePlot } from '@vae/viz';
 * import { writePng } from '@vae/viz/node';
 *
 * const trainLoss = [180, 130, 115, 108, 104];
 * const testLoss = [150, 120, 112, 107, 105];
 * const plot = linePlot(
 *   [
 *     { name: 'train', y: trainLoss },
 *     { name: 'test', y: testLoss },
 *   ],
 *   { title: 'Negative ELBO', xLabel: 'epoch', yLabel: 'nats' },
 * );
 * await writePng('loss.png', plot); // 640 x 400 pixels
 * ```
 */
export function linePlot(series: readonly PlotSeries[], options: LinePlotOptions = {}): PlotImage {
  const { width = 640, height = 400, title, xLabel, yLabel, textScale = 1 } = options;
  ensureArgument(series.length > 0, () => 'linePlot: `series` is empty');
  for (const s of series) {
    ensureArgument(
      s.x === undefined || s.x.length === s.y.length,
      () => `linePlot: series '${s.name}' has ${s.x?.length} x values for ${s.y.length} y values`,
    );
  }
  const allX = series.flatMap((s) => [...xsOf(s)]);
  const integerX = allX.every(Number.isInteger);
  const xTicks = niceTicks(...extent(allX), { count: 6, integer: integerX });
  const { yRange } = options;
  ensureArgument(
    yRange === undefined ||
      (Number.isFinite(yRange[0]) && Number.isFinite(yRange[1]) && yRange[0] < yRange[1]),
    () =>
      `linePlot: \`yRange\` must be two finite numbers, low < high, got ${JSON.stringify(yRange)}`,
  );
  const yTicks = niceTicks(...(yRange ?? extent(series.flatMap((s) => [...s.y]))), { count: 5 });
  const labels = yTicks.ticks.map((t) => t.toFixed(yTicks.decimals));
  const line = textHeight(textScale);
  const area = {
    left: 12 + Math.max(...labels.map((l) => textWidth(l, textScale))),
    top: 10 + (title === undefined ? 0 : line + 8) + (yLabel === undefined ? 0 : line + 6),
    right: width - 16,
    bottom: height - 12 - line - (xLabel === undefined ? 0 : line + 8),
  };
  ensureArgument(
    area.right - area.left > 20 && area.bottom - area.top > 20,
    () => `linePlot: a ${width} x ${height} image is too small for the axes and labels`,
  );
  const plot: PlotImage = {
    ...createImage(width, height, WHITE),
    area,
    xDomain: xTicks.domain,
    yDomain: yTicks.domain,
  };
  drawAxes(plot, { xTicks, yTicks, labels, textScale });
  series.forEach((s, i) => {
    drawSeries(plot, s, s.color ?? PLOT_PALETTE[i % PLOT_PALETTE.length]!);
  });
  drawLegend(plot, series, textScale);
  if (title !== undefined) {
    drawText(
      plot,
      { text: title, x: (width - textWidth(title, textScale)) / 2, y: 8, scale: textScale },
      INK,
    );
  }
  if (yLabel !== undefined) {
    drawText(plot, { text: yLabel, x: 8, y: area.top - line - 6, scale: textScale }, INK);
  }
  if (xLabel !== undefined) {
    const x = (area.left + area.right - textWidth(xLabel, textScale)) / 2;
    drawText(plot, { text: xLabel, x, y: height - 6 - line, scale: textScale }, INK);
  }
  return plot;
}

function drawAxes(
  plot: PlotImage,
  ticks: {
    xTicks: ReturnType<typeof niceTicks>;
    yTicks: ReturnType<typeof niceTicks>;
    labels: string[];
    textScale: number;
  },
): void {
  const { area } = plot;
  const scale = ticks.textScale;
  ticks.yTicks.ticks.forEach((value, i) => {
    const { y } = plotToPixel(plot, plot.xDomain[0], value);
    drawLine(plot, { x0: area.left, y0: y, x1: area.right, y1: y }, GRID);
    drawLine(plot, { x0: area.left - 4, y0: y, x1: area.left, y1: y }, INK);
    const label = ticks.labels[i]!;
    const x = area.left - 6 - textWidth(label, scale);
    drawText(plot, { text: label, x, y: y - textHeight(scale) / 2, scale }, INK);
  });
  for (const value of ticks.xTicks.ticks) {
    const { x } = plotToPixel(plot, value, plot.yDomain[0]);
    drawLine(plot, { x0: x, y0: area.top, x1: x, y1: area.bottom }, GRID);
    drawLine(plot, { x0: x, y0: area.bottom, x1: x, y1: area.bottom + 4 }, INK);
    const label = value.toFixed(ticks.xTicks.decimals);
    drawText(
      plot,
      { text: label, x: x - textWidth(label, scale) / 2, y: area.bottom + 7, scale },
      INK,
    );
  }
  drawLine(plot, { x0: area.left, y0: area.top, x1: area.left, y1: area.bottom }, INK);
  drawLine(plot, { x0: area.left, y0: area.bottom, x1: area.right, y1: area.bottom }, INK);
}

function drawSeries(plot: PlotImage, series: PlotSeries, color: Rgba): void {
  const xs = xsOf(series);
  let previous: { x: number; y: number } | undefined;
  series.y.forEach((value, i) => {
    const x = xs[i]!;
    if (!Number.isFinite(value) || !Number.isFinite(x)) {
      previous = undefined;
      return;
    }
    const point = plotToPixel(plot, x, value);
    if (previous !== undefined) {
      const visible = clipSegment(
        { x0: previous.x, y0: previous.y, x1: point.x, y1: point.y },
        plot.area,
      );
      if (visible !== undefined) drawLine(plot, { ...visible, thickness: 2 }, color);
    }
    if (inBox(point.x, point.y, plot.area)) {
      fillRect(plot, { x: point.x - 2, y: point.y - 2, width: 5, height: 5 }, color);
    }
    previous = point;
  });
}

function drawLegend(plot: PlotImage, series: readonly PlotSeries[], scale: number): void {
  const line = textHeight(scale) + 6;
  const swatch = 16;
  const width = 8 + swatch + 6 + Math.max(...series.map((s) => textWidth(s.name, scale))) + 8;
  const left = plot.area.right - width - 6;
  const top = plot.area.top + 6;
  const height = 6 + series.length * line;
  fillRect(plot, { x: left, y: top, width, height }, WHITE);
  drawLine(plot, { x0: left, y0: top, x1: left + width, y1: top }, INK);
  drawLine(plot, { x0: left, y0: top + height, x1: left + width, y1: top + height }, INK);
  drawLine(plot, { x0: left, y0: top, x1: left, y1: top + height }, INK);
  drawLine(plot, { x0: left + width, y0: top, x1: left + width, y1: top + height }, INK);
  series.forEach((s, i) => {
    const y = top + 6 + i * line;
    const color = s.color ?? PLOT_PALETTE[i % PLOT_PALETTE.length]!;
    const middle = y + textHeight(scale) / 2;
    drawLine(
      plot,
      { x0: left + 8, y0: middle, x1: left + 8 + swatch, y1: middle, thickness: 2 },
      color,
    );
    drawText(plot, { text: s.name, x: left + 8 + swatch + 6, y, scale }, INK);
  });
}
