import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Module } from './module.js';
import type { VaeConfig } from './vae-config.js';

/** What `modelTopology` holds in a checkpoint written by this package. */
export interface VaeManifest {
  format: 'vae';
  version: 1;
  architecture: VaeConfig;
}

/**
 * The module's weights as tfjs `ModelArtifacts` (one float32 entry per named
 * parameter, in `namedParameters` order) with the manifest in `modelTopology`.
 *
 * @example
 * ```ts
 * const artifacts = await moduleToArtifacts(model, model.config);
 * ```
 */
export async function moduleToArtifacts(
  module: Module<unknown>,
  architecture: VaeConfig,
): Promise<tf.io.ModelArtifacts> {
  const named = module.namedParameters();
  const arrays = await Promise.all(named.map(([, v]) => v.data() as Promise<Float32Array>));
  const total = arrays.reduce((sum, a) => sum + a.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const array of arrays) {
    data.set(array, offset);
    offset += array.length;
  }
  const manifest: VaeManifest = { format: 'vae', version: 1, architecture };
  return {
    modelTopology: manifest as unknown as object,
    format: 'vae',
    generatedBy: '@vae/nn',
    weightSpecs: named.map(([name, v]) => ({ name, shape: [...v.shape], dtype: 'float32' })),
    weightData: data.buffer,
  };
}

function corrupt(message: string): VaeError {
  return new VaeError('CHECKPOINT_CORRUPT', `fromArtifacts: ${message}`);
}

/**
 * Reads and checks the manifest; throws CHECKPOINT_CORRUPT when it is not one of ours.
 *
 * @example
 * ```ts
 * const { architecture } = readManifest(artifacts); // e.g. { kind: 'mlp', latentDim: 20, ... }
 * ```
 */
export function readManifest(artifacts: tf.io.ModelArtifacts): VaeManifest {
  const topology = artifacts?.modelTopology as Partial<VaeManifest> | undefined;
  if (typeof topology !== 'object' || topology === null || topology.format !== 'vae') {
    throw corrupt(
      '`modelTopology` is not a vae manifest ({ format: "vae", version, architecture })',
    );
  }
  if (topology.version !== 1) {
    throw corrupt(`manifest version ${String(topology.version)} is not supported (expected 1)`);
  }
  if (typeof topology.architecture !== 'object' || topology.architecture === null) {
    throw corrupt('the manifest has no `architecture`');
  }
  return topology as VaeManifest;
}

function checkArchitecture(found: VaeConfig, expected: VaeConfig): void {
  const a = found as unknown as Record<string, unknown>;
  const b = expected as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const differences = keys
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .map((key) => `${key}: checkpoint ${JSON.stringify(a[key])}, model ${JSON.stringify(b[key])}`);
  if (differences.length > 0) {
    throw new VaeError(
      'CHECKPOINT_MISMATCH',
      `fromArtifacts: the checkpoint's architecture differs from the model's (${differences.join('; ')})`,
    );
  }
}

function weightBytes(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) throw corrupt('`weightData` is missing');
  return data instanceof ArrayBuffer ? data : tf.io.CompositeArrayBuffer.join(data);
}

/**
 * Checks `artifacts` against the module and its architecture, then assigns
 * every weight (bit-exact). Throws CHECKPOINT_MISMATCH when the architecture
 * differs and CHECKPOINT_CORRUPT for missing or extra weights, wrong shapes,
 * dtypes or byte length, and non-finite values; on error nothing is assigned.
 *
 * @example
 * ```ts
 * loadArtifactsInto(model, artifacts, model.config);
 * ```
 */
export function loadArtifactsInto(
  module: Module<unknown>,
  artifacts: tf.io.ModelArtifacts,
  architecture: VaeConfig,
): void {
  checkArchitecture(readManifest(artifacts).architecture, architecture);
  const specs = artifacts.weightSpecs;
  if (!Array.isArray(specs)) throw corrupt('`weightSpecs` is missing');
  const named = new Map(module.namedParameters());
  const names = new Set(specs.map((s) => s.name));
  const missing = [...named.keys()].filter((n) => !names.has(n));
  const extra = [...names].filter((n) => !named.has(n));
  if (missing.length > 0 || extra.length > 0 || names.size !== specs.length) {
    throw corrupt(
      `weight names differ from the model's (missing: [${missing.join(', ')}], unexpected: [${extra.join(', ')}]${names.size !== specs.length ? ', duplicates' : ''})`,
    );
  }
  const bytes = weightBytes(artifacts.weightData);
  let offset = 0;
  const values: [tf.Variable, Float32Array][] = [];
  for (const spec of specs) {
    const variable = named.get(spec.name) as tf.Variable;
    if (spec.dtype !== 'float32' || !tf.util.arraysEqual(spec.shape, variable.shape)) {
      throw corrupt(
        `weight '${spec.name}' is ${spec.dtype} [${spec.shape}], the model expects float32 [${variable.shape}]`,
      );
    }
    const end = offset + variable.size * 4;
    if (end > bytes.byteLength) {
      throw corrupt(`weightData has ${bytes.byteLength} bytes, the weight specs need more`);
    }
    const array = new Float32Array(bytes.slice(offset, end));
    if (!array.every(Number.isFinite)) {
      throw corrupt(`weight '${spec.name}' holds non-finite values`);
    }
    values.push([variable, array]);
    offset = end;
  }
  if (offset !== bytes.byteLength) {
    throw corrupt(`weightData has ${bytes.byteLength} bytes, the weight specs describe ${offset}`);
  }
  for (const [variable, array] of values) {
    tf.tidy(() => variable.assign(tf.tensor(array, variable.shape, 'float32')));
  }
}
