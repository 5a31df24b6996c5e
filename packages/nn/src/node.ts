// Node-only entry of @vae/nn (`@vae/nn/node`): models on the file system.
// List every public name explicitly.
export { fileHandler } from './node/file-handler.js';
