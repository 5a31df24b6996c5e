// One training run of the page's VAE with @vae/trainer's fit: dynamic
// binarization, Adam, an AbortSignal to stop; reports ELBO terms, speed and a
// periodic test ELBO through callbacks. fit awaits between batches, so the page
// stays responsive.
import * as tf from '@tensorflow/tfjs-core';
import { createDataSource, type ImageDataset } from '@vae/data';
import { fit } from '@vae/trainer';
import type { PageVae } from './model.ts';

export interface TrainingPoint {
  step: number;
  /** The batch's ELBO, E_q[log p(x | z)] and KL (nats per example; elbo = reconstruction - kl). */
  elbo: number;
  reconstruction: number;
  kl: number;
  samplesPerSecond: number;
}

export interface TrainingCallbacks {
  onBatch(point: TrainingPoint): void;
  /** The negative ELBO on the test images, every `testEverySeconds`. */
  onTest(step: number, negativeElbo: number): void;
  /** Every `refreshEverySeconds`: redraw samples and reconstructions. */
  onRefresh(): void;
}

export interface TrainingOptions extends TrainingCallbacks {
  batchSize?: number;
  learningRate?: number;
  testEverySeconds?: number;
  refreshEverySeconds?: number;
  signal: AbortSignal;
}

/** The negative ELBO on `[n, 784]` binarized test images (mean over examples). */
export async function testNegativeElbo(model: PageVae, test: tf.Tensor2D): Promise<number> {
  const terms = model.elbo(test, 12345);
  const value = (await terms.loss.data())[0]!;
  tf.dispose([terms.loss, ...Object.values(terms.metrics)]);
  return value;
}

/** Trains until `signal` aborts (or 1000 epochs). Resolves when it has stopped. */
export async function train(
  model: PageVae,
  data: { train: ImageDataset; testBatch: tf.Tensor2D },
  options: TrainingOptions,
): Promise<void> {
  const callbacks: TrainingCallbacks = options;
  const source = createDataSource(data.train, {
    binarize: 'dynamic',
    seed: Date.now() % 100_000,
    shape: [784],
  });
  const testEvery = (options.testEverySeconds ?? 2) * 1000;
  const refreshEvery = (options.refreshEverySeconds ?? 1) * 1000;
  let lastTest = 0;
  let lastRefresh = 0;
  await fit(model, source, {
    epochs: 1000,
    batchSize: options.batchSize ?? 100,
    learningRate: options.learningRate ?? 1e-3,
    seed: 7,
    signal: options.signal,
    nanGuard: 'stop',
    loss: (x, { seed }) => model.elbo(x as tf.Tensor2D, seed),
    onEvent: async (event) => {
      if (event.type !== 'batch') return;
      const { elbo = Number.NaN, reconstruction = Number.NaN, kl = Number.NaN } = event.metrics;
      callbacks.onBatch({
        step: event.step,
        elbo,
        reconstruction,
        kl,
        samplesPerSecond: event.samplesPerSecond,
      });
      const now = performance.now();
      if (now - lastTest >= testEvery || event.step === 0) {
        lastTest = now;
        callbacks.onTest(event.step, await testNegativeElbo(model, data.testBatch));
      }
      if (now - lastRefresh >= refreshEvery) {
        lastRefresh = now;
        callbacks.onRefresh();
      }
    },
  });
}
