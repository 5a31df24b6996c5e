import { vaeVitestConfig } from '@vae/test-kit/vitest';

export default vaeVitestConfig({ backends: ['cpu'] });
