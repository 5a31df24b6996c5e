// Registers tfjs-core's gradients in PLAIN Node, where
// `@tensorflow/tfjs-core/dist/register_all_gradients.js` cannot load: that ESM
// file and everything it imports use extensionless relative specifiers, and the
// package has no "type": "module". A module-resolution hook, scoped to files
// under `@tensorflow/tfjs-core/dist/`, appends `.js` and marks them as ESM.
// The gradients register themselves in tfjs's global registry, which every copy
// of tfjs-core shares, so the CommonJS bundle Node loads for
// `@tensorflow/tfjs-core` sees them.
//
// This file must stay self-contained (no imports; Node built-ins are loaded
// dynamically) so browser bundles never see a `node:` import and a test can run
// it in a plain Node child process.

/** The resolve hook, as module source; it touches only tfjs-core's ESM files. */
export const TFJS_CORE_ESM_HOOK = `
const DIST = '/@tensorflow/tfjs-core/dist/';
const BUNDLE = /\\/dist\\/tf-core[^/]*\\.js$/;
const isRelative = (s) => s.startsWith('./') || s.startsWith('../');
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  if (parent.includes(DIST) && !BUNDLE.test(parent) && isRelative(specifier) && !/\\.[cm]?js$/.test(specifier)) {
    return { ...(await next(specifier + '.js', context)), format: 'module' };
  }
  const resolved = await next(specifier, context);
  const path = resolved.url.split('?')[0];
  if (path.includes(DIST) && path.endsWith('.js') && !BUNDLE.test(path)) {
    return { ...resolved, format: 'module' };
  }
  return resolved;
}
`;

interface NodeModuleApi {
  createRequire(from: string): { resolve(specifier: string): string };
  register?(specifier: string, parentURL?: string): void;
}

interface NodeUrlApi {
  pathToFileURL(path: string): URL;
}

function importNode(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

let hookRegistered = false;

/**
 * Loads `@tensorflow/tfjs-core/dist/register_all_gradients.js` (the copy that
 * `from` resolves to) through a scoped resolve hook. Needs Node >= 20.6
 * (`module.register`). Rejects with a plain `Error` that says why.
 */
export async function registerGradientsInNode(from: string): Promise<void> {
  const nodeModule = (await importNode('node:module')) as NodeModuleApi;
  const { pathToFileURL } = (await importNode('node:url')) as NodeUrlApi;
  if (typeof nodeModule.register !== 'function') {
    throw new Error(
      `module.register is missing (Node ${(globalThis as { process?: { version?: string } }).process?.version}); Node >= 20.6 is needed`,
    );
  }
  const file = nodeModule
    .createRequire(from)
    .resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  if (!hookRegistered) {
    nodeModule.register(`data:text/javascript,${encodeURIComponent(TFJS_CORE_ESM_HOOK)}`);
    hookRegistered = true;
  }
  // The query gives a fresh module URL: an earlier failed plain import of the same
  // file (the bundler path in ensureGradients) stays cached as an error in Node.
  await importNode(`${pathToFileURL(file).href}?vae-register-gradients`);
}
