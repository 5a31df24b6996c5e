import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildFailure, build, type Message, type Plugin } from 'esbuild';
import type { Problem } from './extract.js';
import type { GeneratedExample } from './generate.js';

/** Where bundles go, under the examples' `outDir`. */
export const BUNDLE_DIR = 'bundled';

/**
 * Running an example through tsx costs about 1.5 s of CPU (tsx starts, then
 * transpiles every `@vae` source file the example reaches); a bundle that plain
 * `node` runs costs about a third of that. So in source mode every runnable
 * example is bundled once, by one esbuild build with shared chunks, and each
 * still runs in a process of its own (tfjs keeps global state: backends,
 * registries, kernels).
 *
 * What is bundled: the example and the `@vae` packages it imports, from their
 * TypeScript sources (the `@vae/source` condition). Everything else
 * (`@tensorflow/*`, `pngjs`, Node built-ins) stays an import, so there is one
 * copy of tfjs-core and a backend finds its `.wasm` beside itself:
 * - the example's own imports stay as written, and Node resolves them from the
 *   bundle (which sits beside the example, under the same `node_modules`), so
 *   a specifier that fails in plain Node (an extensionless subpath) fails here;
 * - a `@vae` source's imports become the file esbuild resolves from that source,
 *   as Node would resolve it there, and its `import.meta.url` stays the source
 *   file's own URL, so `createRequire(import.meta.url)` resolves from its package.
 */
function workspacePlugin(outDir: string): Plugin {
  const fromExample = (importer: string) => !relative(outDir, importer).startsWith('..');
  return {
    name: 'doc-examples-workspace',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'inner' || args.path.startsWith('@vae/')) return undefined;
        if (args.path.startsWith('node:') || fromExample(args.importer)) {
          return { path: args.path, external: true };
        }
        const resolved = await builder.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'inner',
        });
        // An optional dependency that is not installed fails where Node would: at run time.
        if (resolved.errors.length > 0) return { path: args.path, external: true };
        return { path: resolved.path, external: true };
      });
      builder.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => ({
        contents: readFileSync(args.path, 'utf8').replaceAll(
          'import.meta.url',
          JSON.stringify(pathToFileURL(args.path).href),
        ),
        loader: 'ts',
      }));
    },
  };
}

async function bundle(outDir: string, entries: readonly GeneratedExample[]): Promise<void> {
  await build({
    entryPoints: entries.map((g) => g.path),
    outdir: join(outDir, BUNDLE_DIR),
    outbase: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@vae/source'],
    // A class that names itself in its body is bundled as `var A = class _A`;
    // keep `A.name` what Node (and the published packages) print.
    keepNames: true,
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [workspacePlugin(outDir)],
  });
}

/** The bundle of an example written to `outDir`. */
export function bundledPath(outDir: string, generated: GeneratedExample): string {
  const path = relative(outDir, generated.path).replace(/\.(ts|mjs)$/, '.mjs');
  return join(outDir, BUNDLE_DIR, path);
}

const messageText = (messages: readonly Message[]) =>
  messages.map((m) => `${m.text}${m.location ? ` (${m.location.file}:${m.location.line})` : ''}`);

/**
 * Bundles `runnable` (see {@link workspacePlugin}) into `outDir/bundled/`.
 * When the build as a whole fails, each example is bundled alone, so one that
 * cannot be bundled is reported (and not run) without stopping the others.
 */
export async function bundleExamples(
  outDir: string,
  runnable: readonly GeneratedExample[],
): Promise<{ bundled: GeneratedExample[]; problems: Problem[] }> {
  if (runnable.length === 0) return { bundled: [], problems: [] };
  try {
    await bundle(outDir, runnable);
    return { bundled: [...runnable], problems: [] };
  } catch {
    const bundled: GeneratedExample[] = [];
    const problems: Problem[] = [];
    for (const generated of runnable) {
      try {
        await bundle(outDir, [generated]);
        bundled.push(generated);
      } catch (error) {
        const errors = (error as BuildFailure).errors ?? [];
        problems.push({
          file: generated.example.file,
          line: generated.example.line,
          message: `cannot bundle the example: ${messageText(errors).join('; ') || String(error)}`,
        });
      }
    }
    return { bundled, problems };
  }
}
