// Public API of @vae/data: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
