// Forward vs reverse KL: both fits animate over the target mixture, whose
// peaks the user drags (sideways: where a mode sits; up and down: its weight);
// the width slider sets both modes' scale, and Reset puts everything back.
import { drawAxes, fitCanvas, linearTicks, scale } from './canvas.ts';
import { byId, format, setText } from './dom.ts';
import {
  DEFAULT_TARGET,
  type Fit,
  KlFit,
  logDensityOnGrid,
  logMixture,
  type Mixture,
  normalDensity,
} from './kl-fit.ts';

const START = { loc: 0.8, scale: 0.6 };
const STEPS_PER_FRAME = 4;
/** Frames of fitting after the last change before the demo counts as settled. */
const FRAMES = 60;
const X_RANGE: [number, number] = [-6, 6];
const MARGIN = { left: 52, right: 12, top: 12, bottom: 42 };
const COLORS = { forward: '#1f77b4', reverse: '#ff7f0e', target: 'rgba(0, 0, 0, 0.16)' };

let target: Mixture = structuredClone(DEFAULT_TARGET);
let logP = logDensityOnGrid(target);
let forward = new KlFit('forward', START);
let reverse = new KlFit('reverse', START);
let fits: { forward: Fit; reverse: Fit } = {
  forward: forward.current(logP),
  reverse: reverse.current(logP),
};
let framesLeft = FRAMES;
let animating = false;
let visible = false;
let dragging: number | undefined;

/**
 * The top of the y axis: above a normal as wide as one mode with all the mass (what
 * the reverse fit becomes). It depends on the width only, so a dragged peak stays
 * under the pointer while the fits move.
 */
function yMax(): number {
  return Math.min(2.5, 1.15 / (target.scale * Math.sqrt(2 * Math.PI)));
}

function geometry(canvas: HTMLCanvasElement) {
  const { context, width, height } = fitCanvas(canvas);
  const x = scale(X_RANGE, [MARGIN.left, width - MARGIN.right]);
  const y = scale([0, yMax()], [height - MARGIN.bottom, MARGIN.top]);
  return { context, width, height, x, y };
}

function draw(): void {
  const canvas = byId<HTMLCanvasElement>('kl-canvas');
  const { context, x, y } = geometry(canvas);
  drawAxes(context, {
    x,
    y,
    xTicks: linearTicks(X_RANGE[0], X_RANGE[1], 6),
    yTicks: linearTicks(0, yMax(), 4),
    xLabel: 'x',
    yLabel: 'density',
  });
  const curve = (f: (v: number) => number) => {
    context.beginPath();
    for (let i = 0; i <= 480; i++) {
      const v = X_RANGE[0] + ((X_RANGE[1] - X_RANGE[0]) * i) / 480;
      if (i === 0) context.moveTo(x(v), y(f(v)));
      else context.lineTo(x(v), y(f(v)));
    }
  };
  curve((v) => Math.exp(logMixture(v, target)));
  context.lineTo(x(X_RANGE[1]), y(0));
  context.lineTo(x(X_RANGE[0]), y(0));
  context.fillStyle = COLORS.target;
  context.fill();
  for (const [name, fit] of [
    ['forward', fits.forward],
    ['reverse', fits.reverse],
  ] as const) {
    curve((v) => normalDensity(v, fit.loc, fit.scale));
    context.strokeStyle = COLORS[name];
    context.lineWidth = 2.5;
    context.stroke();
  }
  for (const [i, handle] of handles().entries()) {
    context.beginPath();
    context.arc(x(handle.x), y(handle.y), dragging === i ? 9 : 7, 0, 2 * Math.PI);
    context.fillStyle = '#fff';
    context.fill();
    context.strokeStyle = '#333';
    context.lineWidth = 2;
    context.stroke();
  }
}

/** The two draggable peaks, in data coordinates. */
function handles(): { x: number; y: number }[] {
  const weights = [target.weight, 1 - target.weight];
  return target.locs.map((loc, i) => ({
    x: loc,
    y: weights[i]! / (target.scale * Math.sqrt(2 * Math.PI)),
  }));
}

function showNumbers(): void {
  setText('kl-forward-value', format(fits.forward.kl, 4));
  setText('kl-reverse-value', format(fits.reverse.kl, 4));
  setText('kl-forward-scale', format(fits.forward.scale, 3));
  setText('kl-reverse-scale', format(fits.reverse.scale, 3));
}

function frame(): void {
  if (!visible) {
    animating = false;
    return;
  }
  fits = {
    forward: forward.step(STEPS_PER_FRAME, logP),
    reverse: reverse.step(STEPS_PER_FRAME, logP),
  };
  draw();
  showNumbers();
  framesLeft -= 1;
  if (framesLeft > 0) {
    requestAnimationFrame(frame);
    return;
  }
  animating = false;
  byId('kl-canvas').dataset.done = 'true';
}

/** Fits for another FRAMES frames (after the target changed, or when the view is shown). */
function animate(): void {
  framesLeft = FRAMES;
  byId('kl-canvas').dataset.done = 'false';
  if (animating || !visible) return;
  animating = true;
  requestAnimationFrame(frame);
}

function setTarget(next: Mixture): void {
  target = next;
  logP = logDensityOnGrid(target);
  fits = { forward: forward.current(logP), reverse: reverse.current(logP) };
  animate();
}

function reset(): void {
  forward = new KlFit('forward', START);
  reverse = new KlFit('reverse', START);
  byId<HTMLInputElement>('kl-width').value = String(DEFAULT_TARGET.scale);
  setTarget(structuredClone(DEFAULT_TARGET));
}

function pointer(event: PointerEvent): { x: number; y: number } {
  const canvas = byId<HTMLCanvasElement>('kl-canvas');
  const rect = canvas.getBoundingClientRect();
  const x = scale(X_RANGE, [MARGIN.left, rect.width - MARGIN.right]);
  const y = scale([0, yMax()], [rect.height - MARGIN.bottom, MARGIN.top]);
  const px = event.clientX - rect.left;
  const py = event.clientY - rect.top;
  const invert = (s: typeof x, p: number) =>
    s.domain[0] + ((p - s.range[0]) / (s.range[1] - s.range[0])) * (s.domain[1] - s.domain[0]);
  return { x: invert(x, px), y: invert(y, py) };
}

function onPointerDown(event: PointerEvent): void {
  const at = pointer(event);
  const canvas = byId<HTMLCanvasElement>('kl-canvas');
  const unitsPerPixel = (X_RANGE[1] - X_RANGE[0]) / canvas.clientWidth;
  const distances = handles().map((h) => Math.abs(h.x - at.x) / unitsPerPixel);
  const nearest = distances[0]! <= distances[1]! ? 0 : 1;
  if (distances[nearest]! > 40) return;
  dragging = nearest;
  canvas.setPointerCapture(event.pointerId);
  event.preventDefault();
}

function onPointerMove(event: PointerEvent): void {
  if (dragging === undefined) return;
  const at = pointer(event);
  const locs: [number, number] = [...target.locs];
  locs[dragging] = Math.max(-5, Math.min(5, at.x));
  const peak = Math.max(0.01, at.y) * target.scale * Math.sqrt(2 * Math.PI);
  const own = Math.max(0.05, Math.min(0.95, peak));
  setTarget({ ...target, locs, weight: dragging === 0 ? own : 1 - own });
}

export function initKlView(): void {
  const canvas = byId<HTMLCanvasElement>('kl-canvas');
  canvas.addEventListener('pointerdown', onPointerDown);
  canvas.addEventListener('pointermove', onPointerMove);
  canvas.addEventListener('pointerup', () => {
    dragging = undefined;
    draw();
  });
  byId('kl-reset').addEventListener('click', reset);
  byId<HTMLInputElement>('kl-width').addEventListener('input', (event) => {
    setTarget({ ...target, scale: Number((event.target as HTMLInputElement).value) });
  });
  new ResizeObserver(() => {
    if (visible) draw();
  }).observe(canvas);
}

export function setKlViewVisible(shown: boolean): void {
  visible = shown;
  if (shown) {
    draw();
    showNumbers();
    if (byId('kl-canvas').dataset.done !== 'true') animate();
  }
}
