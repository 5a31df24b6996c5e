import type { BackendName } from '../backend-info.js';
import { readEnv } from './runtime.js';

/** What each backend needs: the package to import and how to install it. */
export interface BackendSpec {
  /** The npm package that registers the backend. */
  packageName: string;
  /** The tfjs backend name it registers. */
  tfName: string;
  /** A short note added to the install hint. */
  note?: string;
}

export const BACKEND_SPECS: Readonly<Record<BackendName, BackendSpec>> = {
  cpu: { packageName: '@tensorflow/tfjs-backend-cpu', tfName: 'cpu' },
  wasm: { packageName: '@tensorflow/tfjs-backend-wasm', tfName: 'wasm' },
  webgl: { packageName: '@tensorflow/tfjs-backend-webgl', tfName: 'webgl' },
  webgpu: { packageName: '@tensorflow/tfjs-backend-webgpu', tfName: 'webgpu' },
  tensorflow: {
    packageName: '@tensorflow/tfjs-node',
    tfName: 'tensorflow',
    note: 'its install script downloads libtensorflow, so it needs network access at install time',
  },
};

/** Every backend name `useBackend` accepts, `'auto'` aside. */
export const BACKEND_NAMES: readonly BackendName[] = [
  'cpu',
  'wasm',
  'webgl',
  'webgpu',
  'tensorflow',
];

/** The order `'auto'` tries, fastest first. */
export const AUTO_ORDER_NODE: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
export const AUTO_ORDER_BROWSER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * The install command of the package manager running us: pnpm, yarn and bun set
 * `npm_config_user_agent` for the scripts they run (`pnpm/10.34.8 npm/? node/...`);
 * anything else gets npm's.
 */
export function installCommand(packageName: string): string {
  const agent = readEnv('npm_config_user_agent') ?? '';
  const manager = /^(pnpm|yarn|bun)\//.exec(agent)?.[1];
  return manager === undefined ? `npm install ${packageName}` : `${manager} add ${packageName}`;
}

/** "`npm install <package>`" in backticks, then the backend's note, for error messages. */
export function installHint(name: BackendName): string {
  const spec = BACKEND_SPECS[name];
  const note = spec.note === undefined ? '' : ` (${spec.note})`;
  return `\`${installCommand(spec.packageName)}\`${note}`;
}

/** True when an `import()` failure means the package is not installed. */
export function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
  const message = error instanceof Error ? error.message : String(error);
  return /cannot find (package|module)|could not resolve|failed to (resolve|load|fetch)/i.test(
    message,
  );
}
