// Save and load the page's VAE in the tfjs weights format (a JSON manifest with
// the architecture plus binary weight data): IndexedDB, a downloaded file pair,
// or files picked by the user (e.g. a checkpoint trained by the CLI).
import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { PageVae, type VaeArchitecture } from './model.ts';

const FORMAT = 'vae-mlp-bernoulli';
export const INDEXED_DB_URL = 'indexeddb://vae-web';

interface Manifest {
  format: string;
  architecture: VaeArchitecture;
}

function artifactsOf(model: PageVae): Promise<tf.io.ModelArtifacts> {
  const named = Object.fromEntries(model.namedWeights()) as tf.NamedTensorMap;
  return tf.io.encodeWeights(named).then(({ data, specs }) => ({
    modelTopology: { format: FORMAT, architecture: model.architecture } satisfies Manifest,
    format: FORMAT,
    generatedBy: '@vae/web',
    weightSpecs: specs,
    weightData: data,
  }));
}

function isArchitecture(value: unknown): value is VaeArchitecture {
  const v = value as Partial<VaeArchitecture> | null;
  return (
    typeof v?.inputDim === 'number' &&
    typeof v.latentDim === 'number' &&
    Array.isArray(v.hiddenDims) &&
    v.hiddenDims.every((d) => Number.isInteger(d) && d > 0)
  );
}

/** Builds a model from loaded artifacts; throws a clear VaeError for anything else. */
function modelFromArtifacts(artifacts: tf.io.ModelArtifacts, source: string): PageVae {
  const manifest = artifacts.modelTopology as Partial<Manifest> | undefined;
  if (manifest?.format !== FORMAT || !isArchitecture(manifest.architecture)) {
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `load weights: ${source} is not a VAE weights manifest of this page (expected modelTopology.format '${FORMAT}' with an architecture, got ${JSON.stringify(manifest)?.slice(0, 120)})`,
    );
  }
  if (artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
    throw new VaeError('CHECKPOINT_CORRUPT', `load weights: ${source} has no weight data`);
  }
  const weights = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const model = new PageVae(manifest.architecture);
  try {
    model.assign(weights);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(weights));
  }
  return model;
}

async function loadWith(handler: tf.io.IOHandler, source: string): Promise<PageVae> {
  if (handler.load === undefined)
    throw new VaeError('UNSUPPORTED', `load weights: ${source} cannot load`);
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load();
  } catch (error) {
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `load weights: could not read ${source}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return modelFromArtifacts(artifacts, source);
}

/** Saves to the browser's IndexedDB. */
export async function saveToIndexedDb(model: PageVae): Promise<void> {
  const [handler] = tf.io.getSaveHandlers(INDEXED_DB_URL);
  if (handler?.save === undefined)
    throw new VaeError('UNSUPPORTED', 'save weights: this browser has no IndexedDB');
  await handler.save(await artifactsOf(model));
}

/** Loads what {@link saveToIndexedDb} saved. */
export async function loadFromIndexedDb(): Promise<PageVae> {
  const [handler] = tf.io.getLoadHandlers(INDEXED_DB_URL);
  if (handler === undefined)
    throw new VaeError('UNSUPPORTED', 'load weights: this browser has no IndexedDB');
  return loadWith(handler, 'IndexedDB (nothing saved yet?)');
}

/** Downloads `vae-web.json` (manifest) and `vae-web.weights.bin`. */
export async function downloadWeights(model: PageVae): Promise<void> {
  const [handler] = tf.io.getSaveHandlers('downloads://vae-web');
  if (handler?.save === undefined)
    throw new VaeError('UNSUPPORTED', 'download weights: not in a browser');
  await handler.save(await artifactsOf(model));
}

/** Loads a manifest `.json` and its `.bin` weight file(s) picked by the user. */
export async function loadFromFiles(files: readonly File[]): Promise<PageVae> {
  const json = files.find((f) => f.name.endsWith('.json'));
  const bins = files.filter((f) => f !== json);
  const names = files.map((f) => f.name).join(', ') || 'no files';
  if (json === undefined || bins.length === 0) {
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `load weights: pick the manifest (.json) and its weights (.bin) together, got ${names}`,
    );
  }
  return loadWith(tf.io.browserFiles([json, ...bins]), names);
}
