import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Module } from '../module.js';
import { VAE } from '../vae.js';
import {
  loadWeightsFromArtifacts,
  modelFromArtifacts,
  modelToArtifacts,
} from './model-artifacts.js';

/**
 * Where a model goes or comes from: a tfjs IOHandler (`fileHandler(dir)` from
 * `@vae/nn/node`, `tf.io.browserFiles(...)`, `tf.io.withSaveHandler(...)`, an
 * `http` handler) or a URL tfjs routes (`indexeddb://name`,
 * `localstorage://name`, `downloads://name`, `https://.../model.json`).
 */
export type ModelLocation = string | tf.io.IOHandler;

function handlerFor(location: ModelLocation, kind: 'save' | 'load', fn: string): tf.io.IOHandler {
  if (typeof location !== 'string') {
    if (typeof location?.[kind] !== 'function') {
      throw new VaeError('INVALID_ARGUMENT', `${fn}: the handler has no ${kind}()`);
    }
    return location;
  }
  const [handler] =
    kind === 'save' ? tf.io.getSaveHandlers(location) : tf.io.getLoadHandlers(location);
  if (handler === undefined) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `${fn}: no tfjs handler for '${location}' (in Node, pass fileHandler(path) from @vae/nn/node)`,
    );
  }
  return handler;
}

function describe(location: ModelLocation): string {
  return typeof location === 'string' ? location : 'the handler';
}

/**
 * Saves a model (architecture + weights by name, see {@link modelToArtifacts})
 * to a file (Node: `fileHandler` from `@vae/nn/node`), IndexedDB, a download,
 * memory or any tfjs IOHandler. Every module in it must be saveable (a
 * registered class with `getConfig`); otherwise `VaeError('UNSUPPORTED')`
 * names the class before anything is written.
 *
 * @param model - The model to save (its architecture and parameters by name).
 * @param destination - A tfjs URL (`indexeddb://...`, `localstorage://...`, `http(s)://...`) or an `IOHandler` (in Node, `fileHandler(path)` from `@vae/nn/node`).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { mlpVAE, saveModel } from '@vae/nn';
 * const model = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * let saved: tf.io.ModelArtifacts | undefined;
 * await saveModel(model, tf.io.withSaveHandler(async (artifacts) => {
 *   saved = artifacts;
 *   return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
 * }));
 * model.dispose();
 * ```
 */
export async function saveModel(
  model: Module<unknown>,
  destination: ModelLocation,
): Promise<tf.io.SaveResult> {
  const handler = handlerFor(destination, 'save', 'saveModel');
  const artifacts = await modelToArtifacts(model);
  return handler.save!(artifacts);
}

async function artifactsFrom(
  source: ModelLocation | tf.io.ModelArtifacts,
  fn: string,
): Promise<tf.io.ModelArtifacts> {
  if (typeof source === 'object' && source !== null && 'modelTopology' in source) {
    return source as tf.io.ModelArtifacts;
  }
  const handler = handlerFor(source as ModelLocation, 'load', fn);
  try {
    return await handler.load!();
  } catch (error) {
    if (VaeError.isInstance(error)) throw error;
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `${fn}: could not read ${describe(source as ModelLocation)}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Loads a model saved by {@link saveModel} (or written by `vae train`): reads
 * the artifacts, rebuilds the architecture from registered module classes and
 * loads the weights by name, with every check of {@link modelFromArtifacts}.
 * Modules of your own must be registered (`registerModule`) first.
 *
 * @param source - A tfjs URL, an `IOHandler` (in Node, `fileHandler(path)` from `@vae/nn/node`), or artifacts already read.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { loadModel, mlpVAE, modelToArtifacts } from '@vae/nn';
 * const model = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * const copy = await loadModel(await modelToArtifacts(model));
 * copy.dispose();
 * model.dispose();
 * ```
 */
export async function loadModel(
  source: ModelLocation | tf.io.ModelArtifacts,
): Promise<Module<unknown>> {
  const artifacts = await artifactsFrom(source, 'loadModel');
  return modelFromArtifacts(artifacts, describeSource(source));
}

/**
 * {@link loadModel} for a VAE: the same, and the result must be a `VAE`.
 *
 * @param source - A tfjs URL, an `IOHandler` (in Node, `fileHandler(path)` from `@vae/nn/node`), or artifacts already read.
 * @throws `VaeError('CHECKPOINT_MISMATCH')` when the file holds another kind of model.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { loadVAE, mlpVAE, modelToArtifacts } from '@vae/nn';
 * const model = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * const copy = await loadVAE(await modelToArtifacts(model));
 * copy.latentDim; // 2
 * copy.dispose();
 * model.dispose();
 * ```
 */
export async function loadVAE(source: ModelLocation | tf.io.ModelArtifacts): Promise<VAE> {
  const model = await loadModel(source);
  if (!(model instanceof VAE)) {
    const name = model.constructor.name;
    model.dispose();
    throw new VaeError(
      'CHECKPOINT_MISMATCH',
      `loadVAE: ${describeSource(source)} holds a ${name}, not a VAE (use loadModel)`,
    );
  }
  return model;
}

/**
 * Loads the weights saved at `source` into `model`, which must have the same
 * architecture (see {@link loadWeightsFromArtifacts}).
 *
 * @param model - The model whose parameters are assigned, by name.
 * @param source - A tfjs URL, an `IOHandler` (in Node, `fileHandler(path)` from `@vae/nn/node`), or artifacts already read.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { loadWeights, mlpVAE, modelToArtifacts } from '@vae/nn';
 * const trained = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * const fresh = mlpVAE({ hidden: [32], latentDim: 2, seed: 2 });
 * await loadWeights(fresh, await modelToArtifacts(trained));
 * trained.dispose();
 * fresh.dispose();
 * ```
 */
export async function loadWeights(
  model: Module<unknown>,
  source: ModelLocation | tf.io.ModelArtifacts,
): Promise<void> {
  const artifacts = await artifactsFrom(source, 'loadWeights');
  loadWeightsFromArtifacts(model, artifacts, describeSource(source));
}

function describeSource(source: ModelLocation | tf.io.ModelArtifacts): string {
  if (typeof source === 'string') return source;
  return typeof source === 'object' && source !== null && 'modelTopology' in source
    ? 'the model artifacts'
    : 'the model';
}
