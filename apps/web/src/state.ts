// What the pages share: the active model and MNIST (loaded once).
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist, type Mnist } from './mnist.ts';
import { LATENT_2D, LATENT_16, PageVae, type VaeArchitecture } from './model.ts';

export const state: {
  model: PageVae;
  training: AbortController | undefined;
  trainingDone: Promise<void> | undefined;
} = {
  model: undefined as unknown as PageVae,
  training: undefined,
  trainingDone: undefined,
};

export function architectureFor(latentDim: string): VaeArchitecture {
  return latentDim === '16' ? LATENT_16 : LATENT_2D;
}

/** Replaces the model (disposing the old one). */
export function setModel(model: PageVae): void {
  const old = state.model as PageVae | undefined;
  state.model = model;
  if (old !== undefined && old !== model) old.dispose();
}

/**
 * Rebuilds the model's variables on the backend now active (after a switch),
 * keeping its weights.
 */
export function moveModelToActiveBackend(): void {
  const old = state.model;
  const weights = old
    .namedWeights()
    .map(([name, v]) => [name, v.dataSync().slice(), v.shape] as const);
  const fresh = new PageVae(old.architecture);
  const map = Object.fromEntries(weights.map(([n, data, shape]) => [n, tf.tensor(data, shape)]));
  fresh.assign(map);
  tf.dispose(Object.values(map));
  setModel(fresh);
}

/** `count` test images `[count, 784]`, statically binarized. The caller disposes. */
export function testImages(mnist: Mnist, start: number, count: number): tf.Tensor2D {
  const values = mnist.test.images.subarray(start * 784, (start + count) * 784);
  return tf.tidy(
    () => tf.cast(tf.greater(tf.tensor2d(values, [count, 784]), 0.5), 'float32') as tf.Tensor2D,
  );
}

export { loadMnist };
