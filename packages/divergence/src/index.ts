export { crossEntropy } from './cross-entropy.js';
export type { DiscreteOptions } from './discrete-options.js';
export { entropy } from './entropy.js';
export { kl } from './kl.js';
export { ensureArgument, VaeError, type VaeErrorCode } from './vae-error.js';
