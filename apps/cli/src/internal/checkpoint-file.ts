import { readFile } from 'node:fs/promises';
import { type Checkpoint, type CheckpointStore, decodeCheckpoint } from '@vae/trainer';
import { fileCheckpointStore } from '@vae/trainer/node';

// The CLI reads checkpoints itself rather than through `fileCheckpointStore().load()`
// so that a corrupt file gets a one-line message for a terminal user, without the
// store's advice about its `onCorrupt` library option.
async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  return decodeCheckpoint(bytes, path);
}

/** Reads a checkpoint file (or its `.prev` when the file is missing); undefined when neither exists. */
export async function loadCheckpointFile(path: string): Promise<Checkpoint | undefined> {
  return (await readCheckpoint(path)) ?? (await readCheckpoint(`${path}.prev`));
}

/** The trainer's atomic file store, loading through {@link loadCheckpointFile}. */
export function checkpointStore(path: string): CheckpointStore {
  const store = fileCheckpointStore(path);
  return { save: (checkpoint) => store.save(checkpoint), load: () => loadCheckpointFile(path) };
}
