// The training view: Start/Stop and Reset, the ELBO's terms, samples/s, the
// loss curve and the pictures. The curve belongs to one model: a new or loaded
// model starts it again, a second Start continues its step count.
import { app, message, newModel, request, startTraining, stopTraining, subscribe } from '../app.ts';
import type { TrainingPoint } from '../shared/protocol.ts';
import { showPicture } from './canvas.ts';
import { byId, errorText, format, setText } from './dom.ts';
import { drawLossChart, type Series } from './loss-chart.ts';

/** The window of the samples/s figure. */
const SPEED_WINDOW_MS = 3000;
const CHART_EVERY_MS = 200;

const train = {
  steps: [] as number[],
  elbo: [] as number[],
  reconstruction: [] as number[],
  kl: [] as number[],
};
const test = { steps: [] as number[], loss: [] as number[] };
/** Global step before the current run; points of a run count from it. */
let offset = 0;
let lastStep = 0;
/** (time, examples of this run) at each message, for samples/s. */
let speedWindow: [number, number][] = [];

function resetCurve(): void {
  for (const list of [...Object.values(train), ...Object.values(test)]) list.length = 0;
  offset = 0;
  lastStep = 0;
  speedWindow = [];
  for (const id of [
    'loss-value',
    'train-loss',
    'reconstruction-value',
    'kl-value',
    'speed-value',
  ]) {
    setText(id, '–');
  }
  delete byId('loss-value').dataset.kind;
  setText('step-value', '0');
  scheduleChart();
}

function record(points: readonly TrainingPoint[], examples: number): void {
  for (const point of points) {
    lastStep = offset + point.step;
    train.steps.push(lastStep);
    train.elbo.push(-point.elbo);
    train.reconstruction.push(-point.reconstruction);
    train.kl.push(point.kl);
  }
  const latest = points.at(-1);
  if (latest === undefined) return;
  setText('train-loss', format(-latest.elbo));
  setText('reconstruction-value', format(latest.reconstruction));
  setText('kl-value', format(latest.kl, 2));
  setText('step-value', String(lastStep));
  if (test.loss.length === 0) showLoss(-latest.elbo, 'train');
  const now = performance.now();
  speedWindow.push([now, examples]);
  // Keep the newest entry at least SPEED_WINDOW_MS old as the window's start.
  let anchor = 0;
  while (anchor + 1 < speedWindow.length && speedWindow[anchor + 1]![0] <= now - SPEED_WINDOW_MS) {
    anchor += 1;
  }
  if (anchor > 0) speedWindow = speedWindow.slice(anchor);
  const [t0, e0] = speedWindow[0]!;
  if (now - t0 >= 500) setText('speed-value', format(((examples - e0) / (now - t0)) * 1000, 0));
  scheduleChart();
}

/** The headline number: the latest test −ELBO, or the train −ELBO before the first test. */
function showLoss(value: number, kind: 'test' | 'train'): void {
  const element = byId('loss-value');
  element.textContent = format(value);
  element.dataset.kind = kind;
}

let chartPending = false;
let chartDrawn = 0;
function scheduleChart(): void {
  if (chartPending) return;
  chartPending = true;
  const wait = Math.max(0, CHART_EVERY_MS - (performance.now() - chartDrawn));
  setTimeout(() => requestAnimationFrame(drawChart), wait);
}

function drawChart(): void {
  chartPending = false;
  chartDrawn = performance.now();
  const canvas = byId<HTMLCanvasElement>('loss-chart');
  if (canvas.offsetParent === null) return; // hidden: drawn when shown
  const series: Series[] = [
    { name: '−ELBO (train)', color: '#1f77b4', steps: train.steps, values: train.elbo },
    { name: '−E[log p(x|z)]', color: '#2ca02c', steps: train.steps, values: train.reconstruction },
    { name: 'KL', color: '#ff7f0e', steps: train.steps, values: train.kl },
    { name: '−ELBO (test)', color: '#d62728', steps: test.steps, values: test.loss, dashed: true },
  ];
  const log = drawLossChart(canvas, series, { log: byId<HTMLInputElement>('log-scale').checked });
  canvas.dataset.points = String(train.steps.length);
  canvas.dataset.firstStep = String(train.steps[0] ?? 0);
  canvas.dataset.lastStep = String(train.steps.at(-1) ?? 0);
  canvas.dataset.scale = log ? 'log' : 'linear';
}

/** Redraws the samples and reconstructions of the current model. */
export async function refreshPictures(): Promise<void> {
  const pictures = await request({ type: 'pictures' });
  showPicture(byId('samples-canvas'), pictures.samples);
  showPicture(byId('reconstructions-canvas'), pictures.reconstructions);
}

function setRunning(running: boolean): void {
  byId('train-toggle').textContent = running ? 'Stop training' : 'Start training';
  byId('train-status').textContent = running ? 'training' : 'idle';
}

export function initTrainView(): void {
  byId('train-toggle').addEventListener('click', () => {
    if (app.training === undefined) {
      startTraining();
    } else {
      byId('train-status').textContent = 'stopping…';
      void stopTraining();
    }
  });
  byId('reset').addEventListener('click', () => {
    newModel().catch((error: unknown) => message(`Reset: ${errorText(error)}`));
  });
  byId('log-scale').addEventListener('change', scheduleChart);
  new ResizeObserver(scheduleChart).observe(byId('loss-chart'));
  subscribe((event) => {
    switch (event.type) {
      case 'points':
        record(event.points, event.examples);
        break;
      case 'test-loss':
        test.steps.push(offset + event.step);
        test.loss.push(event.value);
        showLoss(event.value, 'test');
        scheduleChart();
        break;
      case 'pictures':
        showPicture(byId('samples-canvas'), event.pictures.samples);
        showPicture(byId('reconstructions-canvas'), event.pictures.reconstructions);
        break;
      case 'training':
        if (event.running) {
          offset = lastStep;
          speedWindow = [];
        }
        setRunning(event.running);
        break;
      case 'model':
        resetCurve();
        refreshPictures().catch((error: unknown) => message(`Pictures: ${errorText(error)}`));
        break;
      default:
        break;
    }
  });
}

/** Redraws what depends on the view's size (called when the view is shown). */
export function showTrainView(): void {
  scheduleChart();
}
