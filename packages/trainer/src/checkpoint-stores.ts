import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Checkpoint, CheckpointStore } from './checkpoint.js';
import { checkCheckpointHeader, weightBytesOf } from './internal/checkpoint-schema.js';

function copy(checkpoint: Checkpoint): Checkpoint {
  return {
    ...checkpoint,
    state: structuredClone(checkpoint.state),
    weightSpecs: structuredClone(checkpoint.weightSpecs),
    weightData: checkpoint.weightData.slice(0),
  };
}

/**
 * Keeps the latest checkpoint in memory (a copy, so later training does not
 * change it). For tests, and for resuming within one page or process.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit, memoryCheckpointStore } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const data = tf.ones([64, 2]);
 * const loss = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, w)));
 * const store = memoryCheckpointStore();
 * const controller = new AbortController();
 * await fit(model, data, {
 *   loss,
 *   batchSize: 8,
 *   signal: controller.signal,
 *   checkpoint: { store },
 *   onEvent: (event) => {
 *     if (event.type === 'batch' && event.step === 3) controller.abort();
 *   },
 * });
 * const resumed = await fit(model, data, { loss, batchSize: 8, checkpoint: { store } }); // resumes where it stopped
 * console.log(resumed.resumedFrom?.step, resumed.steps); // -> 3 8
 * ```
 */
export function memoryCheckpointStore(): CheckpointStore & {
  /** How many times `save` was called. */
  readonly saves: number;
} {
  let latest: Checkpoint | undefined;
  let saves = 0;
  return {
    get saves() {
      return saves;
    },
    async save(checkpoint) {
      latest = copy(checkpoint);
      saves++;
    },
    async load() {
      return latest === undefined ? undefined : copy(latest);
    },
  };
}

/**
 * Options of {@link ioHandlerCheckpointStore}.
 *
 * @example
 * ```ts
 * import type { IoHandlerCheckpointStoreOptions } from '@vae/trainer';
 *
 * let saved = false;
 * const options: IoHandlerCheckpointStoreOptions = { exists: async () => saved };
 * saved = true;
 * console.log(await options.exists?.()); // -> true
 * ```
 */
export interface IoHandlerCheckpointStoreOptions {
  /**
   * Whether a checkpoint has been saved, asked before each `load` (no: `load`
   * returns `undefined`). Default for an `indexeddb://` or `localstorage://` URL:
   * whether `tf.io.listModels()` lists it; for other handlers, `load` asks the
   * handler and its errors reach you.
   */
  exists?: () => Promise<boolean>;
}

/** The schemes whose stores `tf.io.listModels()` lists. */
const LISTED_SCHEMES = ['indexeddb://', 'localstorage://'];

function listedExists(url: string): (() => Promise<boolean>) | undefined {
  if (!LISTED_SCHEMES.some((scheme) => url.startsWith(scheme))) return undefined;
  return async () => url in (await tf.io.listModels());
}

function handlerOf(url: string, kind: 'save' | 'load'): tf.io.IOHandler {
  const [handler] = kind === 'save' ? tf.io.getSaveHandlers(url) : tf.io.getLoadHandlers(url);
  if (handler === undefined) {
    throw new VaeError(
      'UNSUPPORTED',
      `ioHandlerCheckpointStore: no tf.io handler can ${kind} '${url}' here`,
    );
  }
  return handler;
}

/**
 * Stores checkpoints through a `tf.io` URL (`'indexeddb://run'`, `'localstorage://run'`,
 * an `http(s)://` URL) or any `tf.io.IOHandler`: the weights go in
 * `weightSpecs`/`weightData`, the trainer state in `userDefinedMetadata`. `load`
 * returns `undefined` when nothing was saved yet, which it learns from
 * `tf.io.listModels()` for IndexedDB and local storage, or from `options.exists`.
 *
 * @param target - A `tf.io` URL or an `IOHandler` with `save` and `load`.
 * @param options - `exists`, asked before each `load`.
 * @returns The store.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit, ioHandlerCheckpointStore } from '@vae/trainer';
 *
 * // Any tf.io.IOHandler works; in a page, 'indexeddb://vae-run' keeps it across reloads.
 * let artifacts: tf.io.ModelArtifacts | undefined;
 * const handler: tf.io.IOHandler = {
 *   save: async (saved) => {
 *     artifacts = saved;
 *     return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
 *   },
 *   load: async () => artifacts!,
 * };
 * const store = ioHandlerCheckpointStore(handler, { exists: async () => artifacts !== undefined });
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const data = tf.ones([64, 2]);
 * const loss = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, w)));
 * await fit(model, data, { loss, batchSize: 8, checkpoint: { store } });
 * console.log((await store.load())?.state.step); // -> 8
 * ```
 */
export function ioHandlerCheckpointStore(
  target: tf.io.IOHandler | string,
  options: IoHandlerCheckpointStoreOptions = {},
): CheckpointStore {
  const url = typeof target === 'string' ? target : undefined;
  const exists = options.exists ?? (url === undefined ? undefined : listedExists(url));
  const saver = () => (url === undefined ? (target as tf.io.IOHandler) : handlerOf(url, 'save'));
  const loader = () => (url === undefined ? (target as tf.io.IOHandler) : handlerOf(url, 'load'));
  return {
    async save(checkpoint) {
      const handler = saver();
      if (handler.save === undefined) {
        throw new VaeError('UNSUPPORTED', 'ioHandlerCheckpointStore: the handler cannot save');
      }
      await handler.save({
        format: checkpoint.format,
        generatedBy: '@vae/trainer',
        weightSpecs: checkpoint.weightSpecs,
        weightData: checkpoint.weightData,
        userDefinedMetadata: {
          version: checkpoint.version,
          state: checkpoint.state as unknown as Record<string, unknown>,
          ...(checkpoint.modelTopology === undefined
            ? {}
            : { modelTopology: checkpoint.modelTopology as Record<string, unknown> }),
        },
      });
    },
    async load() {
      if (exists !== undefined && !(await exists())) return undefined;
      const handler = loader();
      if (handler.load === undefined) {
        throw new VaeError('UNSUPPORTED', 'ioHandlerCheckpointStore: the handler cannot load');
      }
      const artifacts = await handler.load();
      const metadata = (artifacts.userDefinedMetadata ?? {}) as {
        version?: unknown;
        state?: unknown;
        modelTopology?: unknown;
      };
      const weightData = Array.isArray(artifacts.weightData)
        ? tf.io.concatenateArrayBuffers(artifacts.weightData)
        : artifacts.weightData;
      const header = {
        format: artifacts.format,
        version: metadata.version,
        state: metadata.state,
        ...(metadata.modelTopology === undefined ? {} : { modelTopology: metadata.modelTopology }),
        weightSpecs: artifacts.weightSpecs,
      };
      checkCheckpointHeader(header, 'ioHandlerCheckpointStore: the stored checkpoint');
      if (
        !(weightData instanceof ArrayBuffer) ||
        weightData.byteLength !== weightBytesOf(header.weightSpecs)
      ) {
        throw new VaeError(
          'CHECKPOINT_CORRUPT',
          'ioHandlerCheckpointStore: the stored checkpoint has weight data of the wrong size',
        );
      }
      return { ...header, weightData };
    },
  };
}
