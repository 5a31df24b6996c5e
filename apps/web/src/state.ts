// What the pages share: the active model and MNIST (loaded once).
import type * as tf from '@tensorflow/tfjs-core';
import { createDataSource } from '@vae/data';
import { modelFromArtifacts, modelToArtifacts, VAE } from '@vae/nn';
import { loadMnist, type Mnist } from './mnist.ts';
import { LATENT_2D, LATENT_16, type PagePreset, PageVae } from './model.ts';

export const state: {
  model: PageVae;
  training: AbortController | undefined;
  trainingDone: Promise<void> | undefined;
} = {
  model: undefined as unknown as PageVae,
  training: undefined,
  trainingDone: undefined,
};

export function presetFor(latentDim: string): PagePreset {
  return latentDim === '16' ? LATENT_16 : LATENT_2D;
}

/** Replaces the model (disposing the old one). */
export function setModel(model: PageVae): void {
  const old = state.model as PageVae | undefined;
  state.model = model;
  if (old !== undefined && old !== model) old.dispose();
}

/**
 * Backend switches: take the weights off the old backend (`snapshot`, before the
 * switch), then rebuild the model on the new one (`restore`, after it).
 */
export function snapshotModel(): Promise<tf.io.ModelArtifacts> | undefined {
  const model = (state.model as PageVae | undefined)?.vae;
  return model === undefined ? undefined : modelToArtifacts(model);
}

export function restoreModel(artifacts: tf.io.ModelArtifacts): void {
  const model = modelFromArtifacts(artifacts);
  if (!(model instanceof VAE)) {
    model.dispose();
    throw new Error('restoreModel: the snapshot is not a VAE');
  }
  setModel(new PageVae(model));
}

/** `count` test images `[count, 784]`, statically binarized. The caller disposes. */
export function testImages(mnist: Mnist, start: number, count: number): tf.Tensor2D {
  const source = createDataSource(mnist.test, { binarize: 'static', shape: [784] });
  return source.getBatch(Array.from({ length: count }, (_, i) => start + i));
}

export { loadMnist };
