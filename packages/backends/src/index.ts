// Public API of @vae/backends: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
