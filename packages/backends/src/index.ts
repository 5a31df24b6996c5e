// Public API of @vae/backends: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
export type { BackendFallback, BackendInfo, BackendName, BackendRequest } from './backend-info.js';
export { type UseBackendOptions, useBackend } from './use-backend.js';
