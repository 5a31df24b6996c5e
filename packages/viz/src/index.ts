// Public API of @vae/viz: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
