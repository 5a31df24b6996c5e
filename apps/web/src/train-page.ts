// The training page: start/stop, live loss curve, samples and reconstructions,
// and saving/loading weights.
import * as tf from '@tensorflow/tfjs-core';
import { drawToCanvas, imageGrid, linePlot } from '@vae/viz';
import { byId, errorText, format, showMessage } from './dom.ts';
import { PageVae } from './model.ts';
import { loadMnist, presetFor, setModel, state, testImages } from './state.ts';
import { type TrainingPoint, train } from './training.ts';
import { downloadWeights, loadFromFiles, loadFromIndexedDb, saveToIndexedDb } from './weights.ts';

const history: { step: number[]; loss: number[]; reconstruction: number[]; kl: number[] } = {
  step: [],
  loss: [],
  reconstruction: [],
  kl: [],
};
const testHistory: { step: number[]; loss: number[] } = { step: [], loss: [] };
let speed = Number.NaN;

function record(point: TrainingPoint): void {
  history.step.push(point.step);
  history.loss.push(-point.elbo);
  history.reconstruction.push(-point.reconstruction);
  history.kl.push(point.kl);
  speed = Number.isFinite(speed)
    ? 0.9 * speed + 0.1 * point.samplesPerSecond
    : point.samplesPerSecond;
  byId('train-loss').textContent = format(-point.elbo);
  byId('reconstruction-value').textContent = format(point.reconstruction);
  byId('kl-value').textContent = format(point.kl, 2);
  byId('speed-value').textContent = format(speed, 0);
  byId('step-value').textContent = String(point.step + 1);
  if (testHistory.loss.length === 0) showLoss(-point.elbo, 'train');
}

/** The headline number: the latest test −ELBO, or the train −ELBO before the first test. */
function showLoss(value: number, kind: 'test' | 'train'): void {
  const element = byId('loss-value');
  element.textContent = format(value);
  element.dataset.kind = kind;
}

function drawChart(): void {
  if (history.step.length === 0) return;
  const series = [
    { name: '-ELBO (train)', x: history.step, y: history.loss },
    { name: '-E[log p(x|z)]', x: history.step, y: history.reconstruction },
    { name: 'KL', x: history.step, y: history.kl },
  ];
  if (testHistory.step.length > 0) {
    series.push({ name: '-ELBO (test)', x: testHistory.step, y: testHistory.loss });
  }
  const plot = linePlot(series, {
    width: 640,
    height: 300,
    title: 'loss per example (nats)',
    xLabel: 'step',
  });
  drawToCanvas(byId<HTMLCanvasElement>('loss-chart'), plot);
}

/** Redraws the sample grid and the reconstructions (fixed noise and digits). */
export async function drawImages(): Promise<void> {
  const model = state.model;
  const samples = model.sample(32, 2024);
  drawToCanvas(
    byId<HTMLCanvasElement>('samples-canvas'),
    imageGrid(samples, { columns: 8, scale: 2 }),
  );
  samples.dispose();
  const mnist = await loadMnist();
  const originals = testImages(mnist, 0, 16);
  const pairs = tf.tidy(() => {
    const reconstructions = model.reconstruct(originals);
    // Rows of 8: originals, reconstructions, originals, reconstructions.
    return tf.concat([
      tf.slice(originals, [0, 0], [8, -1]),
      tf.slice(reconstructions, [0, 0], [8, -1]),
      tf.slice(originals, [8, 0], [8, -1]),
      tf.slice(reconstructions, [8, 0], [8, -1]),
    ]);
  });
  drawToCanvas(
    byId<HTMLCanvasElement>('reconstructions-canvas'),
    imageGrid(pairs, { columns: 8, scale: 2 }),
  );
  tf.dispose([originals, pairs]);
}

function setTraining(running: boolean): void {
  byId('train-toggle').textContent = running ? 'Stop training' : 'Start training';
  byId('train-status').textContent = running ? 'training' : 'idle';
  for (const id of ['backend-select', 'preset-select', 'load-idb', 'weights-file']) {
    (byId(id) as HTMLInputElement).disabled = running;
  }
}

export async function startTraining(): Promise<void> {
  if (state.training !== undefined) return;
  const controller = new AbortController();
  state.training = controller;
  setTraining(true);
  byId('train-status').textContent = 'loading MNIST…';
  const run = (async () => {
    const mnist = await loadMnist();
    const testBatch = testImages(mnist, 0, 300);
    byId('train-status').textContent = 'training';
    try {
      await train(
        state.model,
        { train: mnist.train, testBatch },
        {
          onBatch: record,
          onTest: (step, loss) => {
            testHistory.step.push(step);
            testHistory.loss.push(loss);
            showLoss(loss, 'test');
          },
          onRefresh: () => {
            drawChart();
            void drawImages();
          },
          signal: controller.signal,
        },
      );
    } finally {
      testBatch.dispose();
    }
  })();
  state.trainingDone = run
    .catch((error) => showMessage(`Training stopped: ${errorText(error)}`))
    .finally(() => {
      state.training = undefined;
      state.trainingDone = undefined;
      setTraining(false);
      drawChart();
      void drawImages().catch(() => {});
    });
}

/** Stops training (after the current batch) and waits until it has stopped. */
export async function stopTraining(): Promise<void> {
  state.training?.abort();
  await state.trainingDone;
}

function resetHistory(): void {
  for (const list of [...Object.values(history), ...Object.values(testHistory)]) list.length = 0;
  speed = Number.NaN;
  byId('loss-value').textContent = '–';
  delete byId('loss-value').dataset.kind;
}

async function guarded(what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
    showMessage(`${what}: done`, 'info');
  } catch (error) {
    showMessage(`${what} failed: ${errorText(error)}`);
  }
}

function adopt(model: PageVae): void {
  setModel(model);
  resetHistory();
  const select = byId<HTMLSelectElement>('preset-select');
  select.value = String(model.latentDim);
  byId('model-description').textContent = model.describe();
  void drawImages();
}

export function initTrainPage(): void {
  byId('train-toggle').addEventListener('click', () => {
    if (state.training === undefined) void startTraining();
    else void stopTraining();
  });
  byId<HTMLSelectElement>('preset-select').addEventListener('change', (event) => {
    const value = (event.target as HTMLSelectElement).value;
    setModel(PageVae.fromPreset(presetFor(value)));
    byId('model-description').textContent = state.model.describe();
    resetHistory();
    void drawImages();
  });
  byId('save-idb').addEventListener('click', () =>
    guarded('Save to IndexedDB', () => saveToIndexedDb(state.model)),
  );
  byId('load-idb').addEventListener('click', () =>
    guarded('Load from IndexedDB', async () => adopt(await loadFromIndexedDb())),
  );
  byId('download').addEventListener('click', () =>
    guarded('Download', () => downloadWeights(state.model)),
  );
  byId<HTMLInputElement>('weights-file').addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    void guarded('Load weights', async () => adopt(await loadFromFiles(files))).finally(() => {
      input.value = '';
    });
  });
}
