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
 * const store = memoryCheckpointStore();
 * const controller = new AbortController();
 * await fit(model, data, { loss, signal: controller.signal, checkpoint: { store } });
 * await fit(model, data, { loss, checkpoint: { store } }); // resumes where it stopped
 * ```
 */
export function memoryCheckpointStore(): CheckpointStore & { readonly saves: number } {
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
 * Stores checkpoints through any `tf.io.IOHandler` (`tf.io.getSaveHandlers('indexeddb://run')`,
 * `browserLocalStorage`, an HTTP handler): the weights go in `weightSpecs`/`weightData`,
 * the trainer state in `userDefinedMetadata`. `load` returns `undefined` when the
 * handler's `load` fails because nothing was saved yet (its error says "not found"/"does not exist").
 *
 * @example
 * ```ts
 * const [handler] = tf.io.getSaveHandlers('indexeddb://vae-run');
 * await fit(model, data, { loss, checkpoint: { store: ioHandlerCheckpointStore(handler!) } });
 * ```
 */
export function ioHandlerCheckpointStore(handler: tf.io.IOHandler): CheckpointStore {
  return {
    async save(checkpoint) {
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
      if (handler.load === undefined) {
        throw new VaeError('UNSUPPORTED', 'ioHandlerCheckpointStore: the handler cannot load');
      }
      let artifacts: tf.io.ModelArtifacts;
      try {
        artifacts = await handler.load();
      } catch (error) {
        if (/not ?found|does not exist|no such|cannot find/i.test(String(error))) return undefined;
        throw error;
      }
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
