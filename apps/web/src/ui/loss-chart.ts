// The loss curve: train −ELBO, −reconstruction and KL per step, and the test
// −ELBO, against the global step, on a log (or linear) y axis with labelled
// axes (the legend is HTML beside it). Drawn on the page's thread from the points the worker sends; long
// histories are thinned to about one point per pixel column.
import { drawAxes, fitCanvas, linearTicks, logTicks, scale } from './canvas.ts';

export interface Series {
  name: string;
  color: string;
  steps: number[];
  values: number[];
  dashed?: boolean;
}

const MARGIN = { left: 58, right: 14, top: 12, bottom: 40 };

/** Every k-th point, so at most about `limit` are drawn (the last always). */
function thin(series: Series, limit: number): [number, number][] {
  const n = series.steps.length;
  const every = Math.max(1, Math.ceil(n / limit));
  const points: [number, number][] = [];
  for (let i = 0; i < n; i += every) points.push([series.steps[i]!, series.values[i]!]);
  if (n > 0 && (n - 1) % every !== 0) points.push([series.steps[n - 1]!, series.values[n - 1]!]);
  return points;
}

/**
 * Draws the series; returns whether the log axis was used (a log axis needs
 * every value > 0, which a Gaussian decoder's −ELBO may not be).
 */
export function drawLossChart(
  canvas: HTMLCanvasElement,
  series: readonly Series[],
  options: { log: boolean },
): boolean {
  const { context, width, height } = fitCanvas(canvas);
  const plotWidth = Math.max(10, width - MARGIN.left - MARGIN.right);
  const visible = series.map((s) => ({ ...s, points: thin(s, plotWidth) }));
  const values = visible.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
  const steps = visible.flatMap((s) => s.points.map(([step]) => step));
  if (values.length === 0) {
    context.fillStyle = '#777';
    context.font = '14px system-ui, sans-serif';
    context.textAlign = 'center';
    context.fillText('Start training to draw the loss curve', width / 2, height / 2);
    return options.log;
  }
  const log = options.log && values.every((v) => v > 0);
  let [min, max] = [Math.min(...values), Math.max(...values)];
  if (log) [min, max] = [min / 1.1, max * 1.1];
  else {
    const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 1;
    [min, max] = [min - pad, max + pad];
  }
  const [first, last] = [Math.min(...steps), Math.max(...steps, Math.min(...steps) + 1)];
  const x = scale([first, last], [MARGIN.left, width - MARGIN.right]);
  const y = scale([min, max], [height - MARGIN.bottom, MARGIN.top], log);
  drawAxes(context, {
    x,
    y,
    xTicks: linearTicks(first, last, Math.max(2, Math.floor(plotWidth / 90))),
    yTicks: log ? logTicks(min, max) : linearTicks(min, max),
    xLabel: 'step',
    yLabel: `nats per image${log ? ' (log scale)' : ''}`,
  });
  context.save();
  context.beginPath();
  context.rect(
    MARGIN.left,
    MARGIN.top,
    width - MARGIN.left - MARGIN.right,
    height - MARGIN.top - MARGIN.bottom,
  );
  context.clip();
  context.lineWidth = 1.75;
  for (const s of visible) {
    context.strokeStyle = s.color;
    context.setLineDash(s.dashed ? [6, 4] : []);
    context.beginPath();
    let moved = false;
    for (const [step, value] of s.points) {
      if (!Number.isFinite(value) || (log && value <= 0)) {
        moved = false;
        continue;
      }
      if (moved) context.lineTo(x(step), y(value));
      else context.moveTo(x(step), y(value));
      moved = true;
    }
    context.stroke();
  }
  context.restore();
  return log;
}
