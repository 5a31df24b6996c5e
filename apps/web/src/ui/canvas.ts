// Canvas helpers for the page's plots: sharp drawing at the device's pixel
// ratio on a canvas sized by CSS, pictures from the worker, and axes with
// ticks and labels (linear or logarithmic).
import type { Picture } from '../shared/protocol.ts';

/**
 * Sizes the canvas's bitmap to its CSS box times the device pixel ratio and
 * returns a context that draws in CSS pixels, with the box's size.
 */
export function fitCanvas(canvas: HTMLCanvasElement): {
  context: CanvasRenderingContext2D;
  width: number;
  height: number;
} {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, canvas.clientWidth);
  const height = Math.max(1, canvas.clientHeight);
  const [w, h] = [Math.round(width * ratio), Math.round(height * ratio)];
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const context = canvas.getContext('2d')!;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  return { context, width, height };
}

/** Draws a picture at its own resolution (CSS scales it; `.pixelated` keeps pixels sharp). */
export function showPicture(canvas: HTMLCanvasElement, picture: Picture): void {
  canvas.width = picture.width;
  canvas.height = picture.height;
  const context = canvas.getContext('2d')!;
  const pixels = new ImageData(
    new Uint8ClampedArray(
      picture.data.buffer as ArrayBuffer,
      picture.data.byteOffset,
      picture.data.length,
    ),
    picture.width,
    picture.height,
  );
  context.putImageData(pixels, 0, 0);
}

/** A bitmap of a picture, to draw scaled into a plot. */
export function pictureCanvas(picture: Picture): OffscreenCanvas {
  const canvas = new OffscreenCanvas(picture.width, picture.height);
  const pixels = new ImageData(
    new Uint8ClampedArray(
      picture.data.buffer as ArrayBuffer,
      picture.data.byteOffset,
      picture.data.length,
    ),
    picture.width,
    picture.height,
  );
  canvas.getContext('2d')!.putImageData(pixels, 0, 0);
  return canvas;
}

/** Round tick values covering [min, max], about `count` of them. */
export function linearTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

/** Ticks of a log axis over [min, max] (> 0): 1, 2, 5 per decade, thinned to about `count`. */
export function logTicks(min: number, max: number, count = 6): number[] {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(min)); power <= Math.ceil(Math.log10(max)); power++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** power;
      if (t >= min * 0.999 && t <= max * 1.001) ticks.push(Number(t.toPrecision(6)));
    }
  }
  if (ticks.length <= count) return ticks;
  const decades = ticks.filter((t) => Number.isInteger(Math.log10(t)) || t === ticks[0]);
  return decades.length >= 2 ? decades : [ticks[0]!, ticks.at(-1)!];
}

/** A map from data to CSS pixels along one axis. */
export interface Scale {
  domain: [number, number];
  range: [number, number];
  log: boolean;
  (value: number): number;
}

export function scale(domain: [number, number], range: [number, number], log = false): Scale {
  const f = (v: number) => (log ? Math.log(v) : v);
  const [d0, d1] = [f(domain[0]), f(domain[1])];
  const map = ((value: number) =>
    range[0] + ((f(value) - d0) / (d1 - d0 || 1)) * (range[1] - range[0])) as Scale;
  return Object.assign(map, { domain, range, log });
}

export function tickLabel(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}

/** Draws both axes with grid lines, tick labels and axis labels. */
export function drawAxes(
  context: CanvasRenderingContext2D,
  axes: {
    x: Scale;
    y: Scale;
    xTicks: number[];
    yTicks: number[];
    xLabel: string;
    yLabel: string;
    /** Grid lines across the plot (default true); ticks only when false. */
    grid?: boolean;
  },
): void {
  const { x, y } = axes;
  const grid = axes.grid ?? true;
  const [left, right] = x.range;
  const [bottom, top] = y.range;
  context.save();
  context.font = '12px system-ui, sans-serif';
  context.lineWidth = 1;
  context.strokeStyle = grid ? '#e3e3e3' : '#666';
  context.fillStyle = '#444';
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const t of axes.yTicks) {
    const py = Math.round(y(t)) + 0.5;
    context.beginPath();
    context.moveTo(grid ? right : left - 4, py);
    context.lineTo(left, py);
    context.stroke();
    context.fillText(tickLabel(t), left - 6, py);
  }
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const t of axes.xTicks) {
    const px = Math.round(x(t)) + 0.5;
    context.beginPath();
    context.moveTo(px, grid ? top : bottom + 4);
    context.lineTo(px, bottom);
    context.stroke();
    context.fillText(tickLabel(t), px, bottom + 5);
  }
  context.strokeStyle = '#666';
  context.beginPath();
  context.moveTo(left + 0.5, top);
  context.lineTo(left + 0.5, bottom + 0.5);
  context.lineTo(right, bottom + 0.5);
  context.stroke();
  context.fillStyle = '#222';
  context.fillText(axes.xLabel, (left + right) / 2, bottom + 22);
  context.translate(12, (top + bottom) / 2);
  context.rotate(-Math.PI / 2);
  context.textBaseline = 'middle';
  context.fillText(axes.yLabel, 0, 0);
  context.restore();
}
