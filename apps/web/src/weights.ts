// Save and load the page's VAE in @vae/nn's checkpoint format (the tfjs weights
// format: a JSON manifest recording the architecture plus binary weights), to
// IndexedDB, to a downloaded file pair, or from files the user picks (e.g. a
// checkpoint trained by the CLI: model.json + weights.bin).
import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { loadVAE, saveModel } from '@vae/nn';
import { PageVae } from './model.ts';

export const INDEXED_DB_URL = 'indexeddb://vae-web';

function handlerFor(url: string, kind: 'save' | 'load'): tf.io.IOHandler {
  const [handler] = kind === 'save' ? tf.io.getSaveHandlers(url) : tf.io.getLoadHandlers(url);
  if (handler === undefined) {
    throw new VaeError('UNSUPPORTED', `${kind} weights: this browser cannot use ${url}`);
  }
  return handler;
}

async function loadWith(handler: tf.io.IOHandler, source: string): Promise<PageVae> {
  try {
    const vae = await loadVAE(handler);
    if (vae.dataShape.reduce((a, b) => a * b, 1) !== 784) {
      const shape = vae.dataShape;
      vae.dispose();
      throw new VaeError(
        'CHECKPOINT_MISMATCH',
        `load weights: ${source} is a VAE for data of shape [${shape}], the page shows 28x28 MNIST digits`,
      );
    }
    return new PageVae(vae);
  } catch (error) {
    if (VaeError.isInstance(error)) throw error;
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `load weights: could not read ${source}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Saves to the browser's IndexedDB. */
export async function saveToIndexedDb(model: PageVae): Promise<void> {
  await saveModel(model.vae, handlerFor(INDEXED_DB_URL, 'save'));
}

/** Loads what {@link saveToIndexedDb} saved. */
export function loadFromIndexedDb(): Promise<PageVae> {
  return loadWith(handlerFor(INDEXED_DB_URL, 'load'), 'IndexedDB (nothing saved yet?)');
}

/** Downloads `vae-web.json` (manifest) and `vae-web.weights.bin`. */
export async function downloadWeights(model: PageVae): Promise<void> {
  await saveModel(model.vae, handlerFor('downloads://vae-web', 'save'));
}

/** Loads a manifest `.json` and its `.bin` weight file(s) picked by the user. */
export function loadFromFiles(files: readonly File[]): Promise<PageVae> {
  const json = files.find((f) => f.name.endsWith('.json'));
  const bins = files.filter((f) => f !== json);
  const names = files.map((f) => f.name).join(', ') || 'no files';
  if (json === undefined || bins.length === 0) {
    return Promise.reject(
      new VaeError(
        'CHECKPOINT_CORRUPT',
        `load weights: pick the manifest (.json) and its weights (.bin) together, got ${names}`,
      ),
    );
  }
  return loadWith(tf.io.browserFiles([json, ...bins]), names);
}
