// Saving and loading the page's VAE in @vae/nn's format (the tfjs weights
// format: a JSON manifest with the architecture, plus binary weights): to and
// from IndexedDB, as plain artifacts (downloads, backend switches), and from
// files the user picks: the page's own download, or the run folder of
// `vae train` (model/model.json + model/weights.bin), files or the folder.
import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { loadVAE, modelToArtifacts, saveModel, type VAE } from '@vae/nn';
import type { ModelArtifactsData } from '../shared/protocol.ts';

export const INDEXED_DB_URL = 'indexeddb://vae-web';

const RUN_FOLDER_HINT =
  'a run folder of `vae train` keeps them in model/: pick model/model.json and model/weights.bin, or the run folder itself';

function corrupt(message: string, cause?: unknown): VaeError {
  return new VaeError('CHECKPOINT_CORRUPT', `load weights: ${message}`, { cause });
}

/** Any error as a VaeError whose message says what was being read. */
function asVaeError(error: unknown, source: string): VaeError {
  if (VaeError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return corrupt(`could not read ${source}: ${reason}`, error);
}

export async function saveToIndexedDb(vae: VAE): Promise<void> {
  await saveModel(vae, INDEXED_DB_URL);
}

export async function loadFromIndexedDb(): Promise<VAE> {
  try {
    return await loadVAE(INDEXED_DB_URL);
  } catch (error) {
    throw asVaeError(error, 'IndexedDB (nothing saved yet?)');
  }
}

/** The model as plain, transferable data. */
export async function exportArtifacts(vae: VAE): Promise<ModelArtifactsData> {
  const artifacts = await modelToArtifacts(vae);
  const weightData = artifacts.weightData;
  const buffer = Array.isArray(weightData)
    ? tf.io.concatenateArrayBuffers(weightData)
    : (weightData as ArrayBuffer);
  return {
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs ?? [],
    weightData: buffer,
    ...(artifacts.format !== undefined && { format: artifacts.format }),
    ...(artifacts.generatedBy !== undefined && { generatedBy: artifacts.generatedBy }),
  };
}

export function importArtifacts(data: ModelArtifactsData): Promise<VAE> {
  return loadVAE(data as unknown as tf.io.ModelArtifacts);
}

interface Manifest {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
}

/** Parses and checks the manifest, with a message that says what is wrong with it. */
async function readManifest(file: File): Promise<Manifest> {
  const text = await file.text();
  if (text.trim() === '') throw corrupt(`${file.name} is empty; pick the model's .json manifest`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw corrupt(
      `${file.name} is not valid JSON (${reason}); pick the model's .json manifest`,
      error,
    );
  }
  const manifest = json as Partial<Manifest> | null;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw corrupt(
      `${file.name} holds ${Array.isArray(json) ? 'an array' : String(json)}, not a model manifest`,
    );
  }
  if (manifest.modelTopology === undefined || !Array.isArray(manifest.weightsManifest)) {
    const keys = Object.keys(manifest).slice(0, 6).join(', ') || 'no keys';
    throw corrupt(
      `${file.name} is not a model manifest: it needs "modelTopology" and "weightsManifest", found ${keys}`,
    );
  }
  return manifest as Manifest;
}

/** The path's last part: `./weights.bin` and `model/weights.bin` both name `weights.bin`. */
const baseName = (path: string) => path.split('/').pop() ?? path;

/** The weight files the manifest names, in its order, joined into one buffer. */
async function readWeights(manifest: Manifest, files: readonly File[]): Promise<ArrayBuffer> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const paths = manifest.weightsManifest.flatMap((group) => group.paths ?? []);
  const missing = paths.filter((path) => !byName.has(baseName(path)));
  if (missing.length > 0) {
    throw corrupt(
      `the manifest names ${missing.join(', ')}, which was not picked; ${RUN_FOLDER_HINT}`,
    );
  }
  const buffers = await Promise.all(paths.map((path) => byName.get(baseName(path))!.arrayBuffer()));
  return tf.io.concatenateArrayBuffers(buffers);
}

/**
 * The manifest among picked files: the only `.json` that is not a run's config or
 * metrics, preferring one in a `model/` folder (a whole run folder was picked).
 */
function findManifest(files: readonly File[], paths: readonly string[]): File {
  const pathOf = (file: File) => paths[files.indexOf(file)] || file.name;
  const jsons = files.filter((f) => f.name.endsWith('.json'));
  const candidates = jsons.filter((f) => !['config.json', 'eval.json'].includes(f.name));
  const inModel = candidates.filter((f) => /(^|\/)model\/[^/]+$/.test(pathOf(f)));
  const manifest = inModel[0] ?? candidates[0];
  if (manifest === undefined) {
    const names = files.slice(0, 8).map(pathOf).join(', ') || 'no files';
    const hasCheckpoint = files.some((f) => f.name.endsWith('.ckpt'));
    throw corrupt(
      hasCheckpoint
        ? `found a checkpoint but no model/ folder in ${names}: \`vae train\` writes model/model.json and model/weights.bin when it finishes`
        : `pick the manifest (.json) and its weights (.bin) together, got ${names}; ${RUN_FOLDER_HINT}`,
    );
  }
  return manifest;
}

/**
 * Loads a VAE from picked files: a manifest and its weights, or a whole run folder
 * (`paths`: each file's path in the picked or dropped folder, `run/model/model.json`).
 */
export async function loadFromFiles(
  files: readonly File[],
  paths: readonly string[],
): Promise<VAE> {
  const manifestFile = findManifest(files, paths);
  const manifest = await readManifest(manifestFile);
  const weightData = await readWeights(manifest, files);
  const weightSpecs = manifest.weightsManifest.flatMap((group) => group.weights ?? []);
  try {
    return await loadVAE({
      modelTopology: manifest.modelTopology as NonNullable<tf.io.ModelArtifacts['modelTopology']>,
      weightSpecs,
      weightData,
      ...(manifest.format !== undefined && { format: manifest.format }),
    });
  } catch (error) {
    throw asVaeError(error, manifestFile.name);
  }
}
