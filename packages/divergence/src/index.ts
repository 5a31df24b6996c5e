export { ensureArgument, VaeError, type VaeErrorCode } from './vae-error.js';
