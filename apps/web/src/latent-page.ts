// The latent explorer: a map of the decoder over z in [-3, 3]^2, a draggable
// point decoded live, and interpolation between two test digits.
import * as tf from '@tensorflow/tfjs-core';
import { drawToCanvas, imageGrid, type RgbaImage } from '@vae/viz';
import { byId, errorText, showMessage } from './dom.ts';
import { loadMnist, state, testImages } from './state.ts';

const EXTENT = 3;
const MAP_CELLS = 12;
let point: [number, number] = [0.5, -0.5];
let background: RgbaImage | undefined;
let backgroundOf: unknown;

/** Latent vector with the first two coordinates set (the rest 0 for wider models). */
function latentAt(z: readonly [number, number][]): tf.Tensor2D {
  const dim = state.model.latentDim;
  const values = new Float32Array(z.length * dim);
  z.forEach(([a, b], i) => {
    values[i * dim] = a;
    if (dim > 1) values[i * dim + 1] = b;
  });
  return tf.tensor2d(values, [z.length, dim]);
}

function drawMap(): void {
  const canvas = byId<HTMLCanvasElement>('latent-canvas');
  if (background === undefined || backgroundOf !== state.model) {
    const grid: [number, number][] = [];
    for (let row = 0; row < MAP_CELLS; row++) {
      for (let column = 0; column < MAP_CELLS; column++) {
        const step = (2 * EXTENT) / MAP_CELLS;
        grid.push([-EXTENT + (column + 0.5) * step, EXTENT - (row + 0.5) * step]);
      }
    }
    const decoded = tf.tidy(() => state.model.decodeMean(latentAt(grid)));
    background = imageGrid(decoded, { columns: MAP_CELLS, padding: 0 });
    decoded.dispose();
    backgroundOf = state.model;
  }
  drawToCanvas(canvas, background);
  canvas.style.width = '336px';
  canvas.style.height = '336px';
  const context = canvas.getContext('2d');
  if (context === null) return;
  const scale = canvas.width / (2 * EXTENT);
  const x = (point[0] + EXTENT) * scale;
  const y = (EXTENT - point[1]) * scale;
  context.strokeStyle = '#ff7f0e';
  context.lineWidth = 2;
  context.beginPath();
  context.arc(x, y, 5, 0, 2 * Math.PI);
  context.stroke();
}

function drawDecoded(): void {
  const decoded = tf.tidy(() => state.model.decodeMean(latentAt([point])));
  drawToCanvas(byId<HTMLCanvasElement>('latent-decoded'), imageGrid(decoded, { padding: 0 }));
  decoded.dispose();
  byId('latent-z').textContent = `${point[0].toFixed(2)}, ${point[1].toFixed(2)}`;
}

/** Redraws the map and the decoded digit for the current model. */
export function refreshLatentPage(): void {
  try {
    drawMap();
    drawDecoded();
    if (state.model.latentDim !== 2) {
      showMessage(
        'The latent map shows the first two of 16 latent coordinates (the rest 0); pick the 2-D model to explore the whole latent space.',
        'info',
      );
    }
  } catch (error) {
    showMessage(`Latent explorer: ${errorText(error)}`);
  }
}

async function interpolate(): Promise<void> {
  const mnist = await loadMnist();
  const start = Math.floor(Math.random() * (mnist.test.size - 2));
  const pair = testImages(mnist, start, 2);
  const steps = 10;
  const strip = tf.tidy(() => {
    const [a, b] = tf.split(pair, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    return tf.concat([a, state.model.interpolate(a, b, steps), b]);
  });
  drawToCanvas(
    byId<HTMLCanvasElement>('interpolation-canvas'),
    imageGrid(strip, { columns: steps + 2, scale: 2 }),
  );
  tf.dispose([pair, strip]);
}

export function initLatentPage(): void {
  const canvas = byId<HTMLCanvasElement>('latent-canvas');
  let dragging = false;
  const move = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    const u = (event.clientX - rect.left) / rect.width;
    const v = (event.clientY - rect.top) / rect.height;
    point = [
      Math.max(-EXTENT, Math.min(EXTENT, -EXTENT + u * 2 * EXTENT)),
      Math.max(-EXTENT, Math.min(EXTENT, EXTENT - v * 2 * EXTENT)),
    ];
    drawMap();
    drawDecoded();
  };
  canvas.addEventListener('pointerdown', (event) => {
    dragging = true;
    canvas.setPointerCapture(event.pointerId);
    move(event);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (dragging) move(event);
  });
  canvas.addEventListener('pointerup', () => {
    dragging = false;
  });
  byId('interpolate').addEventListener('click', () => {
    interpolate().catch((error) => showMessage(`Interpolation: ${errorText(error)}`));
  });
}
