import { vaeBrowserVitestConfig } from '@vae/test-kit/vitest-browser';

export default vaeBrowserVitestConfig();
