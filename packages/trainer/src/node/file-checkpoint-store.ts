/// <reference types="node" />
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { VaeError } from '@vae/divergence';
import { readFileBounded, writeFileAtomic } from '@vae/divergence/node';
import type { Checkpoint, CheckpointStore } from '../checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint-codec.js';

/**
 * Options for {@link fileCheckpointStore}.
 *
 * @example
 * ```ts
 * import { fileCheckpointStore } from '@vae/trainer/node';
 *
 * const store = fileCheckpointStore('runs/a/checkpoint.ckpt', { onCorrupt: 'previous' });
 * console.log(await store.load()); // -> undefined
 * ```
 */
export interface FileCheckpointStoreOptions {
  /**
   * What `load` does when the checkpoint file is corrupt: `'throw'` (default) a
   * `VaeError('CHECKPOINT_CORRUPT')`, or `'previous'`: load `<path>.prev` instead.
   */
  onCorrupt?: 'throw' | 'previous';
}

/**
 * The largest checkpoint read: one of the largest models the `@vae/nn` loader accepts (2^28 float32
 * parameters, 1 GiB) with Adam's two moments is 3 GiB. A larger file, or a FIFO or
 * device in the checkpoint's place, is refused before anything is allocated.
 */
const MAX_CHECKPOINT_BYTES = 4 * 2 ** 30;

async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  const found = await readFileBounded(path, { maxBytes: MAX_CHECKPOINT_BYTES });
  if (found.problem === 'missing') return undefined;
  if (found.problem === 'not-a-file') {
    throw new VaeError('CHECKPOINT_CORRUPT', `${path} is not a regular file`);
  }
  if (found.problem === 'too-large') {
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `${path} is ${found.size} bytes, more than the ${MAX_CHECKPOINT_BYTES} a checkpoint can be`,
    );
  }
  return decodeCheckpoint(found.bytes, path);
}

/**
 * A checkpoint store on one file (Node only), written atomically (`writeFileAtomic`
 * of `@vae/divergence/node`): the new checkpoint goes to a temporary file beside
 * it, is fsynced, the current file is renamed to `<path>.prev`, and the temporary
 * file is renamed to `path`; temporary files a killed writer left are removed. A crash
 * or failed write at any point leaves a complete checkpoint (`path`, or `<path>.prev`
 * when it happened between the renames, which `load` then reads). The file is
 * self-checking (CRC-32), so a damaged one is detected.
 *
 * @param path - The checkpoint file; its folder is created on the first save.
 * @param options - What `load` does with a corrupt file.
 * @returns The store, with the paths it writes.
 * @throws from `load`: `VaeError('CHECKPOINT_CORRUPT')` for a damaged file (unless
 *   `onCorrupt: 'previous'`).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { negativeElboLoss } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * import { fit } from '@vae/trainer';
 * import { fileCheckpointStore } from '@vae/trainer/node';
 *
 * const vae = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const data = tf.round(tf.randomUniform([32, 8], 0, 1, 'float32', 1));
 * const loss = (x: tf.Tensor, { seed }: { seed: number }) => negativeElboLoss(vae, x, { seed });
 * const store = fileCheckpointStore('runs/mnist/model.ckpt');
 * await fit(vae, data, { loss, epochs: 2, batchSize: 16, checkpoint: { store } });
 * // Run it again after a crash or Ctrl-C: it resumes from the last checkpoint
 * // (here the run is complete, so there is nothing left to do).
 * const again = await fit(vae, data, { loss, epochs: 2, batchSize: 16, checkpoint: { store } });
 * console.log(again.resumedFrom?.step, again.steps); // -> 4 4
 * ```
 */
export function fileCheckpointStore(
  path: string,
  options: FileCheckpointStoreOptions = {},
): CheckpointStore & {
  /** The checkpoint file. */
  readonly path: string;
  /** The previous checkpoint, kept as `<path>.prev`. */
  readonly previousPath: string;
} {
  const previousPath = `${path}.prev`;
  return {
    path,
    previousPath,
    async save(checkpoint) {
      const bytes = encodeCheckpoint(checkpoint);
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, bytes, { backup: previousPath });
    },
    async load() {
      const previous = () => readCheckpoint(previousPath);
      try {
        return (await readCheckpoint(path)) ?? (await previous());
      } catch (error) {
        if (!VaeError.isInstance(error) || error.code !== 'CHECKPOINT_CORRUPT') throw error;
        if (options.onCorrupt === 'previous') {
          const fallback = await previous();
          if (fallback !== undefined) return fallback;
        }
        throw new VaeError(
          'CHECKPOINT_CORRUPT',
          `fileCheckpointStore: ${error.message}; the previous checkpoint is ${previousPath} (pass { onCorrupt: 'previous' } to load it)`,
          { cause: error },
        );
      }
    },
  };
}
