// Public API of @vae/distributions: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
