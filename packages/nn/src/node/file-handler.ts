/// <reference types="node" />
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { readFileBounded, writeFileAtomic } from '@vae/divergence/node';
import { MAX_PARAMETERS } from '../serialization/model-artifacts.js';

/** The largest `model.json` read (an architecture is small; this bounds a hostile one). */
const MAX_MANIFEST_BYTES = 16 * 2 ** 20;
const WEIGHTS_FILE = 'weights.bin';

function corrupt(path: string, message: string): VaeError {
  return new VaeError('CHECKPOINT_CORRUPT', `${path}: ${message}`);
}

/** The bytes of `path`, a regular file of at most `limit` bytes (else a CHECKPOINT_CORRUPT error). */
async function readBounded(
  path: string,
  limit: number,
  missing = 'no such file',
): Promise<Uint8Array> {
  const found = await readFileBounded(path, { maxBytes: limit });
  switch (found.problem) {
    case undefined:
      return found.bytes;
    case 'missing':
      throw corrupt(path, missing);
    case 'not-a-file':
      throw corrupt(path, 'not a regular file');
    case 'too-large':
      throw corrupt(path, `${found.size} bytes is more than the ${limit} allowed`);
  }
}

/** Total bytes the float32 weight specs describe, bounded; throws on a bad spec. */
function expectedBytes(specs: unknown, path: string): number {
  if (!Array.isArray(specs)) throw corrupt(path, '`weightsManifest[].weights` must be a list');
  let total = 0;
  for (const spec of specs as { shape?: unknown; dtype?: unknown }[]) {
    const shape = spec?.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw corrupt(path, `weight spec ${JSON.stringify(spec).slice(0, 120)} has no valid shape`);
    }
    if (spec.dtype !== 'float32')
      throw corrupt(path, `weight dtype ${String(spec.dtype)} is not float32`);
    total += (shape as number[]).reduce((a, b) => a * b, 1);
    if (total > MAX_PARAMETERS)
      throw corrupt(path, `declares more than ${MAX_PARAMETERS} parameters`);
  }
  return total * 4;
}

/** Resolves a weights path from the manifest inside `folder`; never outside it. */
function weightsPath(folder: string, name: unknown, path: string): string {
  if (typeof name !== 'string' || name === '' || basename(name) !== name) {
    throw corrupt(
      path,
      `weights path ${JSON.stringify(name)} must be a file name beside model.json`,
    );
  }
  return join(folder, name);
}

async function loadFrom(modelJson: string): Promise<tf.io.ModelArtifacts> {
  const text = Buffer.from(
    await readBounded(modelJson, MAX_MANIFEST_BYTES, 'no such file (expected a model.json)'),
  );
  let manifest: {
    modelTopology?: unknown;
    weightsManifest?: { paths?: unknown; weights?: unknown }[];
    format?: string;
    generatedBy?: string;
  };
  try {
    manifest = JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw corrupt(modelJson, `not JSON (${(error as Error).message})`);
  }
  if (
    typeof manifest !== 'object' ||
    manifest === null ||
    !Array.isArray(manifest.weightsManifest)
  ) {
    throw corrupt(modelJson, 'not a model.json (no `weightsManifest` list)');
  }
  const folder = dirname(modelJson);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const files: string[] = [];
  for (const group of manifest.weightsManifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) {
      throw corrupt(modelJson, 'each `weightsManifest` entry needs `paths` and `weights` lists');
    }
    specs.push(...(group.weights as tf.io.WeightsManifestEntry[]));
    for (const name of group.paths) files.push(weightsPath(folder, name, modelJson));
  }
  const expected = expectedBytes(specs, modelJson);
  const sizes = await Promise.all(
    files.map(async (file) => {
      try {
        return (await stat(file)).size;
      } catch {
        throw corrupt(modelJson, `its weights file ${file} is missing`);
      }
    }),
  );
  const found = sizes.reduce((a, b) => a + b, 0);
  if (found !== expected) {
    throw corrupt(
      modelJson,
      `the weight files hold ${found} bytes, the weight specs describe ${expected} (truncated or from another model?)`,
    );
  }
  const weightData = new Uint8Array(expected);
  let offset = 0;
  for (const file of files) {
    const bytes = await readBounded(file, expected - offset);
    weightData.set(bytes.subarray(0, Math.min(bytes.length, expected - offset)), offset);
    offset += bytes.length;
  }
  if (offset !== expected) throw corrupt(modelJson, 'the weight files changed while being read');
  return {
    modelTopology: manifest.modelTopology as object,
    weightSpecs: specs,
    weightData: weightData.buffer,
    ...(manifest.format === undefined ? {} : { format: manifest.format }),
    ...(manifest.generatedBy === undefined ? {} : { generatedBy: manifest.generatedBy }),
  };
}

/**
 * A tfjs IOHandler on a folder (Node only): `save` writes `<folder>/model.json`
 * (architecture + weight specs) and `<folder>/weights.bin`, each atomically
 * (the weights first, so a `model.json` never points at missing weights), the
 * layout `tf.io.http` reads in a browser. `load` reads them back with every
 * size bounded and checked against the file sizes before anything is
 * allocated; it also accepts the path of a `model.json` itself, and reads the
 * sharded layout tfjs writes. Never evaluates code.
 *
 * @param path The model folder (created on save), or a `model.json` path.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadVAE, mlpVAE, saveModel } from '@vae/nn';
 * import { fileHandler } from '@vae/nn/node';
 * const folder = join(await mkdtemp(join(tmpdir(), 'vae-')), 'model');
 * const model = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * await saveModel(model, fileHandler(folder));
 * const copy = await loadVAE(fileHandler(folder));
 * copy.dispose();
 * model.dispose();
 * ```
 */
export function fileHandler(path: string): tf.io.IOHandler {
  const isManifest = path.endsWith('.json');
  const folder = resolve(isManifest ? dirname(path) : path);
  const modelJson = isManifest ? resolve(path) : join(folder, 'model.json');
  return {
    async save(artifacts) {
      await mkdir(folder, { recursive: true });
      const weights = artifacts.weightData;
      const bytes =
        weights === undefined
          ? new Uint8Array(0)
          : new Uint8Array(
              weights instanceof ArrayBuffer ? weights : await new Blob(weights).arrayBuffer(),
            );
      await writeFileAtomic(join(folder, WEIGHTS_FILE), bytes);
      const manifest = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFileAtomic(modelJson, `${JSON.stringify(manifest)}\n`);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: bytes.byteLength,
        },
      };
    },
    load: () => loadFrom(modelJson),
  };
}
