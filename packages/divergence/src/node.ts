// Node-only helpers of @vae/divergence (`@vae/divergence/node`): the file helpers
// every @vae package that reads or writes files shares. List every public name explicitly.

export { type BoundedRead, readFileBounded } from './node/read-file-bounded.js';
export { type WriteFileAtomicOptions, writeFileAtomic } from './node/write-file-atomic.js';
