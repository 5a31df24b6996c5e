// One training run in the worker with @vae/trainer's fit: until stopped, with
// the model's own optimizer (so a second run continues), a learning rate and a
// beta that may change while it runs, and the ELBO terms, a periodic test ELBO
// and pictures sent to the page.
import * as tf from '@tensorflow/tfjs-core';
import { createDataSource, type DataSourceOptions } from '@vae/data';
import { deriveSeed } from '@vae/divergence';
import { fit } from '@vae/trainer';
import type { TrainingPoint, TrainReply, TrainSettings, WorkerEvent } from '../shared/protocol.ts';
import type { PageData } from './data.ts';
import type { PageModel } from './page-model.ts';
import { overview, testBatch } from './pictures.ts';

/** Test images for the test ELBO. */
const TEST_COUNT = 300;
/** How often the page hears of the run. */
const POINTS_EVERY_MS = 100;
const TEST_EVERY_MS = 2000;
const PICTURES_EVERY_MS = 1000;

/** How the batches are made for a likelihood: binary digits for Bernoulli on MNIST, dequantized for Gaussian. */
export function sourceOptions(
  model: PageModel,
  data: PageData,
  purpose: 'train' | 'test',
): DataSourceOptions {
  const likelihood = model.info().config?.likelihood ?? 'bernoulli';
  const shape = model.dataShape;
  if (likelihood === 'gaussian') return { shape, dequantize: true };
  if (likelihood === 'bernoulli' && data.info.kind === 'mnist') {
    return { shape, binarize: purpose === 'train' ? 'dynamic' : 'static' };
  }
  return { shape };
}

export interface RunOptions {
  model: PageModel;
  data: PageData;
  /** Read at every step: learning rate and beta apply at once, batch size at the next run. */
  settings: () => TrainSettings;
  signal: AbortSignal;
  post: (event: WorkerEvent) => void;
}

/** Trains until `signal` aborts (or training diverges). */
export async function trainRun(options: RunOptions): Promise<TrainReply> {
  const { model, data, signal, post } = options;
  const run = model.runs++;
  const runSeed = deriveSeed(model.seed, run);
  const source = createDataSource(data.train, {
    ...sourceOptions(model, data, 'train'),
    seed: deriveSeed(runSeed, 1),
  });
  const testSource = createDataSource(data.test, sourceOptions(model, data, 'test'));
  const testIndices = Array.from({ length: Math.min(TEST_COUNT, data.test.size) }, (_, i) => i);
  const test: tf.Tensor = testSource.getBatch(testIndices, { seed: 7, epoch: 0, step: 0 });
  const initial = options.settings();
  let pending: TrainingPoint[] = [];
  let examples = 0;
  let lastPoints = 0;
  let lastTest = Number.NEGATIVE_INFINITY;
  let lastPictures = performance.now();
  try {
    const compiles = tf.getBackend() === 'webgl' || tf.getBackend() === 'webgpu';
    post({
      type: 'progress',
      text: compiles
        ? 'Running the first steps (the GPU backend compiles its shaders now; slow on a software GPU)…'
        : 'Running the first step…',
    });
    const result = await fit(model.vae, source, {
      epochs: 1_000_000,
      batchSize: initial.batchSize,
      seed: runSeed,
      signal,
      nanGuard: 'stop',
      optimizer: model.optimizer(initial.learningRate),
      learningRate: () => options.settings().learningRate,
      loss: (x, { seed }) => model.terms(x, { seed, beta: options.settings().beta }),
      onEvent: async (event) => {
        if (event.type !== 'batch') return;
        const { elbo = Number.NaN, reconstruction = Number.NaN, kl = Number.NaN } = event.metrics;
        pending.push({ step: event.step, elbo, reconstruction, kl });
        examples += event.size;
        const now = performance.now();
        if (event.step === 1) post({ type: 'progress', text: '', done: true });
        if (now - lastPoints >= POINTS_EVERY_MS || event.step === 1) {
          post({ type: 'points', points: pending, examples });
          pending = [];
          lastPoints = now;
        }
        if (now - lastTest >= TEST_EVERY_MS) {
          lastTest = now;
          post({ type: 'test-loss', step: event.step, value: -(await model.meanElbo(test)) });
        }
        if (now - lastPictures >= PICTURES_EVERY_MS) {
          lastPictures = now;
          post({ type: 'pictures', pictures: overview(model, data.test) });
        }
      },
    });
    if (pending.length > 0) post({ type: 'points', points: pending, examples });
    post({ type: 'test-loss', step: result.steps, value: -(await model.meanElbo(test)) });
    post({ type: 'pictures', pictures: overview(model, data.test) });
    const stopped = result.stopped?.reason === 'diverged' ? 'diverged' : 'aborted';
    return {
      steps: result.steps,
      stopped: result.stopped === null ? 'finished' : stopped,
      ...(result.stopped !== null && { message: result.stopped.message }),
    };
  } finally {
    test.dispose();
    post({ type: 'progress', text: '', done: true });
  }
}

export { testBatch };
