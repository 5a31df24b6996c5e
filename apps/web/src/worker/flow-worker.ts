// The #flow view's worker: fits a normalizing flow to a 2-D toy density with
// `fit` (its own tfjs backend, so the page's thread only draws and the VAE's
// worker is untouched), and sends a frame about once a second: the data, the
// learned density exp(log p(x)) on a grid, the flow's samples, and the mean test
// log-likelihood of the flow next to the full-covariance Gaussian's.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@vae/divergence';
import {
  boundsOf,
  densityGrid,
  type Grid,
  type GridSpec,
  gaussianBaseline,
  histogramGrid,
  sideBySide,
  toyPoints,
} from '@vae/example-flow-2d';
import { FlowModel, flowStack } from '@vae/nn';
import { cosineDecay, fit } from '@vae/trainer';
import type { FlowEvent, FlowFrame, FlowRequest } from '../shared/flow-protocol.ts';
import type { PageBackend, Picture } from '../shared/protocol.ts';
import { startBackend } from './engine.ts';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

const TRAIN_SIZE = 2000;
const TEST_SIZE = 2000;
/** 100 epochs of 16 batches: 1,600 Adam steps, as `pnpm --filter @vae/example-flow-2d start`. */
const EPOCHS = 100;
const BATCH_SIZE = 128;
const LEARNING_RATE = 5e-3;
/** Grid columns of each picture (rows follow the data's aspect ratio). */
const GRID_WIDTH = 100;
const FRAME_MS = 800;

let backend: Promise<unknown> | undefined;
let training: AbortController | undefined;

function post(event: FlowEvent): void {
  const transfer =
    event.type === 'flow-frame'
      ? [event.data.data.buffer, event.density.data.buffer, event.samples.data.buffer]
      : [];
  scope.postMessage(event, transfer);
}

/**
 * One grid as a picture of its own: the example's colour map (the square root of each
 * value over the grid's maximum), without the white frame `sideBySide` puts around it.
 */
function picture(grid: Grid): Picture {
  const image = sideBySide([grid], { scale: 1 });
  const pad = (image.width - grid.width) / 2;
  const data = new Uint8ClampedArray(grid.width * grid.height * 4);
  for (let row = 0; row < grid.height; row++) {
    const from = 4 * ((row + pad) * image.width + pad);
    data.set(image.data.subarray(from, from + 4 * grid.width), 4 * row * grid.width);
  }
  return { width: grid.width, height: grid.height, data };
}

async function train(request: Extract<FlowRequest, { type: 'flow-train' }>): Promise<void> {
  training?.abort();
  const controller = new AbortController();
  training = controller;
  post({ type: 'flow-status', text: `Starting the ${request.backend} backend…` });
  backend ??= startBackend(request.backend as PageBackend, request.threads).catch((error) => {
    backend = undefined;
    throw error;
  });
  await backend;
  const { seed } = request;
  const trainSet = toyPoints(request.data, TRAIN_SIZE, deriveSeed(seed, 0));
  const testSet = toyPoints(request.data, TEST_SIZE, deriveSeed(seed, 1));
  const trainX = tf.tensor2d(trainSet.values, [TRAIN_SIZE, 2]);
  const testX = tf.tensor2d(testSet.values, [TEST_SIZE, 2]);
  const model = new FlowModel({
    flow: flowStack({
      kind: request.kind,
      features: 2,
      layers: 8,
      hidden: [64, 64],
      activation: 'relu',
      seed,
    }),
  });
  const bounds = boundsOf(trainSet.values);
  const height = Math.round(
    (GRID_WIDTH * (bounds.yMax - bounds.yMin)) / (bounds.xMax - bounds.xMin),
  );
  const grid: GridSpec = { bounds, width: GRID_WIDTH, height };
  const dataGrid = histogramGrid(trainSet.values, grid);
  const gaussian = gaussianBaseline(trainX, testX);
  let frames = 0;
  const frame = (epoch: number, step: number, trainLoss: number): FlowFrame => {
    const flowLogLikelihood = tf.tidy(() => tf.mean(model.logProb(testX)).dataSync()[0]!);
    const samples = model.sample(TRAIN_SIZE, { seed: deriveSeed(seed, 2, frames++) });
    const sampleValues = samples.dataSync() as Float32Array;
    samples.dispose();
    return {
      type: 'flow-frame',
      epoch,
      epochs: EPOCHS,
      step,
      flowLogLikelihood,
      gaussianLogLikelihood: gaussian,
      trainLoss,
      data: picture(dataGrid),
      density: picture(densityGrid(model, grid)),
      samples: picture(histogramGrid(sampleValues, grid)),
    };
  };
  let last = performance.now();
  let latest = { epoch: 0, step: 0, loss: Number.NaN };
  try {
    post(frame(0, 0, Number.NaN));
    post({ type: 'flow-status', text: 'training' });
    const result = await fit(model, trainX, {
      loss: (x) => model.negativeLogLikelihood(x),
      epochs: EPOCHS,
      batchSize: BATCH_SIZE,
      learningRate: cosineDecay({
        initial: LEARNING_RATE,
        totalSteps: EPOCHS * Math.ceil(TRAIN_SIZE / BATCH_SIZE),
      }),
      seed,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type !== 'epoch') return;
        latest = { epoch: event.epoch + 1, step: event.step, loss: event.loss };
        if (performance.now() - last < FRAME_MS) return;
        post(frame(latest.epoch, latest.step, latest.loss));
        last = performance.now();
      },
    });
    post(frame(latest.epoch, latest.step, latest.loss));
    post({
      type: 'flow-done',
      stopped: result.stopped?.reason === 'aborted' ? 'aborted' : 'finished',
    });
  } finally {
    model.dispose();
    tf.dispose([trainX, testX]);
    if (training === controller) training = undefined;
  }
}

scope.addEventListener('message', (event: MessageEvent) => {
  const request = event.data as FlowRequest;
  if (request.type === 'flow-stop') {
    training?.abort();
    return;
  }
  train(request).catch((error: unknown) => {
    post({ type: 'flow-error', message: error instanceof Error ? error.message : String(error) });
  });
});
