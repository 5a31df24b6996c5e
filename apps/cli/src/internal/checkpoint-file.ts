import type { Checkpoint, CheckpointStore } from '@vae/trainer';
import { fileCheckpointStore } from '@vae/trainer/node';

/** The run's checkpoint store: @vae/trainer's atomic file store. */
export function checkpointStore(path: string): CheckpointStore {
  return fileCheckpointStore(path);
}

/** Reads a run's checkpoint; undefined when none was written. */
export function loadCheckpointFile(path: string): Promise<Checkpoint | undefined> {
  return fileCheckpointStore(path).load();
}
