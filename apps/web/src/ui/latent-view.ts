// The latent space view: the decoder's mean over a grid of (z1, z2) with
// labelled axes, following training while it is shown; a draggable point
// decoded live; and the interpolation between two test images the user picks.
import { app, message, request, subscribe } from '../app.ts';
import type { Picture } from '../shared/protocol.ts';
import { drawAxes, fitCanvas, linearTicks, pictureCanvas, scale, showPicture } from './canvas.ts';
import { byId, errorText, setText } from './dom.ts';

const EXTENT = 3;
const CELLS = 12;
const CHOICES = 12;
const STEPS = 10;
/** How often the map is redrawn while training (after the previous one arrived). */
const FOLLOW_EVERY_MS = 1000;
const MARGIN = { left: 44, right: 10, top: 10, bottom: 40 };

let visible = false;
let map: OffscreenCanvas | undefined;
let mapVersion = 0;
let point: [number, number] = [0.5, -0.5];
let choices: { picture: Picture; side: number } | undefined;
let chosen: number[] = [];

/** The plot square inside the canvas, in CSS pixels. */
function plotArea(width: number, height: number) {
  const size = Math.max(
    20,
    Math.min(width - MARGIN.left - MARGIN.right, height - MARGIN.top - MARGIN.bottom),
  );
  return { left: MARGIN.left, top: MARGIN.top, size };
}

function drawMap(): void {
  const canvas = byId<HTMLCanvasElement>('latent-canvas');
  const { context, width, height } = fitCanvas(canvas);
  const area = plotArea(width, height);
  const x = scale([-EXTENT, EXTENT], [area.left, area.left + area.size]);
  const y = scale([-EXTENT, EXTENT], [area.top + area.size, area.top]);
  if (map !== undefined) {
    context.imageSmoothingEnabled = false;
    context.drawImage(map, area.left, area.top, area.size, area.size);
  }
  const ticks = linearTicks(-EXTENT, EXTENT, 6);
  drawAxes(context, {
    x,
    y,
    xTicks: ticks,
    yTicks: ticks,
    xLabel: 'z₁ (first latent coordinate)',
    yLabel: 'z₂ (second latent coordinate)',
    grid: false,
  });
  context.strokeStyle = '#ff7f0e';
  context.lineWidth = 2.5;
  context.beginPath();
  context.arc(x(point[0]), y(point[1]), 6, 0, 2 * Math.PI);
  context.stroke();
}

let following: ReturnType<typeof setTimeout> | undefined;
let mapInFlight = false;

/** Asks the worker for the map of the current model; while training, again after a second. */
async function refreshMap(): Promise<void> {
  if (mapInFlight || !visible) return;
  mapInFlight = true;
  try {
    const picture = await request({ type: 'latent-map', cells: CELLS, extent: EXTENT });
    map = pictureCanvas(picture);
    mapVersion += 1;
    byId('latent-canvas').dataset.version = String(mapVersion);
    drawMap();
  } finally {
    mapInFlight = false;
  }
  clearTimeout(following);
  if (visible && app.training !== undefined) {
    following = setTimeout(() => void refreshMap().catch(report), FOLLOW_EVERY_MS);
  }
}

function report(error: unknown): void {
  message(`Latent space: ${errorText(error)}`);
}

let decodeInFlight = false;
let decodeAgain = false;
async function decodePoint(): Promise<void> {
  if (decodeInFlight) {
    decodeAgain = true;
    return;
  }
  decodeInFlight = true;
  try {
    do {
      decodeAgain = false;
      const z: [number, number] = [point[0], point[1]];
      showPicture(byId('latent-decoded'), await request({ type: 'decode', z }));
      setText('latent-z', `${z[0].toFixed(2)}, ${z[1].toFixed(2)}`);
    } while (decodeAgain);
  } finally {
    decodeInFlight = false;
  }
}

function showHint(): void {
  const dim = app.model?.latentDim ?? 2;
  const hint =
    dim === 2
      ? 'This model has 2 latent coordinates: the map is its whole latent space.'
      : dim === 1
        ? 'This model has 1 latent coordinate: the map varies along z₁ only (z₂ does not exist).'
        : `This model has ${dim} latent coordinates: the map shows z₁ and z₂ with the other ${dim - 2} at 0. Pick the 2-D preset to see the whole latent space.`;
  setText('latent-hint', hint);
  byId('latent-hint').dataset.latentDim = String(dim);
}

async function refreshChoices(): Promise<void> {
  const picture = await request({ type: 'test-images', count: CHOICES });
  const side = app.data?.itemShape[0] ?? 28;
  choices = { picture, side };
  const canvas = byId<HTMLCanvasElement>('interpolation-choices');
  showPicture(canvas, picture);
  // About 4rem an image, like the strip below: a few held-out images are not blown up to its width.
  const count = Math.max(1, Math.round(picture.width / (side + 2)));
  canvas.style.maxWidth = `${(48 * count) / CHOICES}rem`;
}

async function interpolate(): Promise<void> {
  const [a, b] = chosen;
  const available = app.data?.testSize || app.data?.trainSize || 0;
  if (a === undefined || b === undefined || Math.max(a, b) >= available) return;
  const picture = await request({ type: 'interpolate', a, b, steps: STEPS });
  showPicture(byId('interpolation-canvas'), picture);
}

/** Everything of the view for the current model. */
function refreshAll(): void {
  showHint();
  void refreshMap().catch(report);
  void decodePoint().catch(report);
  void refreshChoices().catch(report);
  void interpolate().catch(report);
}

function onChoice(event: PointerEvent): void {
  if (choices === undefined) return;
  const canvas = event.currentTarget as HTMLCanvasElement;
  const rect = canvas.getBoundingClientRect();
  const px = ((event.clientX - rect.left) / rect.width) * choices.picture.width;
  const index = Math.floor((px - 1) / (choices.side + 2));
  if (index < 0 || index >= CHOICES) return;
  chosen = chosen.length === 1 ? [chosen[0]!, index] : [index];
  setText(
    'interpolation-chosen',
    chosen.length === 1
      ? `test image ${index}; pick a second`
      : `test images ${chosen[0]} → ${chosen[1]}`,
  );
  void interpolate().catch(report);
}

function onDrag(event: PointerEvent): void {
  const canvas = byId<HTMLCanvasElement>('latent-canvas');
  const rect = canvas.getBoundingClientRect();
  const area = plotArea(canvas.clientWidth, canvas.clientHeight);
  const u = (event.clientX - rect.left - area.left) / area.size;
  const v = (event.clientY - rect.top - area.top) / area.size;
  const clamp = (value: number) => Math.max(-EXTENT, Math.min(EXTENT, value));
  point = [clamp(-EXTENT + u * 2 * EXTENT), clamp(EXTENT - v * 2 * EXTENT)];
  drawMap();
  void decodePoint().catch(report);
}

export function initLatentView(): void {
  const canvas = byId<HTMLCanvasElement>('latent-canvas');
  let dragging = false;
  canvas.addEventListener('pointerdown', (event) => {
    dragging = true;
    canvas.setPointerCapture(event.pointerId);
    onDrag(event);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (dragging) onDrag(event);
  });
  canvas.addEventListener('pointerup', () => {
    dragging = false;
  });
  byId('interpolation-choices').addEventListener('pointerdown', onChoice);
  new ResizeObserver(() => {
    if (visible) drawMap();
  }).observe(canvas);
  chosen = [0, 1];
  setText('interpolation-chosen', 'test images 0 → 1');
  subscribe((event) => {
    if (!visible) return;
    if (event.type === 'model') refreshAll();
    if (event.type === 'training') {
      void refreshMap().catch(report);
      if (!event.running) void decodePoint().catch(report);
    }
  });
}

/** Called when the view is shown or hidden. */
export function setLatentViewVisible(shown: boolean): void {
  visible = shown;
  if (shown) refreshAll();
  else clearTimeout(following);
}
