import { readFile } from 'node:fs/promises';
import { type Checkpoint, type CheckpointStore, decodeCheckpoint } from '@vae/trainer';
import { fileCheckpointStore } from '@vae/trainer/node';

// Node's `readFile` returns a Buffer, whose `slice` is a view, not a copy, so
// `decodeCheckpoint(buffer)` would read its weights at the wrong offset; copying the
// bytes into a plain Uint8Array first avoids that (reported to @vae/trainer).
async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
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
