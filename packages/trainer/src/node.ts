// Node-only API of @vae/trainer (`@vae/trainer/node`): needs node:fs. The main
// entry stays browser-safe.
export {
  type FileCheckpointStoreOptions,
  fileCheckpointStore,
} from './node/file-checkpoint-store.js';
