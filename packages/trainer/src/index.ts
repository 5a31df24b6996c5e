// Public API of @vae/trainer: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
