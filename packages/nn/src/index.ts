// Public API of @vae/nn: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
