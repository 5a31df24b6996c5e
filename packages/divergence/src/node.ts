// Node-only helpers of @vae/divergence (`@vae/divergence/node`): the file helpers
// every @vae package that writes files shares. List every public name explicitly.
export { type WriteFileAtomicOptions, writeFileAtomic } from './node/write-file-atomic.js';
