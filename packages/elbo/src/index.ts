// Public API of @vae/elbo: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
