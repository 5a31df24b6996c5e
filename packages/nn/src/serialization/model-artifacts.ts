import * as tf from '@tensorflow/tfjs-core';
import { formatShape, VaeError } from '@vae/divergence';
import { withParameterBudget } from '../internal/parameter-budget.js';
import type { ModelTopology, Module } from '../module.js';
import { isLegacyManifest, legacySpec } from './legacy.js';
import type { ModuleSpec } from './module-spec.js';
import { buildFromSpec } from './registry.js';

/** The most scalar parameters a model file may hold (1 GiB of float32). */
export const MAX_PARAMETERS = 2 ** 28;

/**
 * What building an architecture may allocate: what its weights hold, and at
 * least 4M parameters (16 MB), so a small model with a missing weight gets the
 * list of missing names rather than a budget error.
 */
function parameterBudget(artifacts: tf.io.ModelArtifacts): number {
  return Math.min(Math.max(weightCount(artifacts), 2 ** 22), MAX_PARAMETERS);
}

function corrupt(source: string, message: string): VaeError {
  return new VaeError('CHECKPOINT_CORRUPT', `${source}: ${message}`);
}

/**
 * A model's architecture and weights as tfjs `ModelArtifacts`: `modelTopology`
 * is {@link Module.architecture} (format 'vae-model', version 2), and one
 * float32 weight per parameter, named by its hierarchical name, in
 * `namedParameters` order. The format every handler writes (`model.json` +
 * weights) and the model part of a trainer checkpoint.
 *
 * @param model - The model to save (its architecture and parameters by name).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { mlpVAE, modelToArtifacts } from '@vae/nn';
 * const model = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * const artifacts = await modelToArtifacts(model);
 * artifacts.weightSpecs?.[0]?.name; // 'encoder.body.0.weight'
 * model.dispose();
 * ```
 */
export async function modelToArtifacts(model: Module<unknown>): Promise<tf.io.ModelArtifacts> {
  const topology = model.architecture();
  const named = model.namedParameters();
  const { data, specs } = await tf.io.encodeWeights(
    named.map(([name, variable]) => ({ name, tensor: variable })),
  );
  return {
    modelTopology: topology as unknown as object,
    format: 'vae-model',
    generatedBy: '@vae/nn',
    weightSpecs: specs,
    weightData: data,
  };
}

/** The spec a model file's topology describes (version 2, or version 1 converted). */
function specOf(artifacts: tf.io.ModelArtifacts, source: string, budget: number): ModuleSpec {
  const topology = artifacts.modelTopology as Partial<ModelTopology> | undefined | null;
  if (isLegacyManifest(topology)) {
    return withParameterBudget(budget, source, () => legacySpec(topology));
  }
  if (typeof topology !== 'object' || topology === null || topology.format !== 'vae-model') {
    throw corrupt(
      source,
      "`modelTopology` is not a vae model ({ format: 'vae-model', version, model }); is it a model of another library?",
    );
  }
  if (topology.version !== 2) {
    throw corrupt(
      source,
      `model format version ${String(topology.version)} is not supported by this @vae/nn (it reads versions 1 and 2); upgrade @vae/nn to read it`,
    );
  }
  return topology.model as ModuleSpec;
}

/** The weights of `artifacts` by name, checked against a bounded size before decoding. */
function decodeWeights(artifacts: tf.io.ModelArtifacts, source: string): Map<string, tf.Tensor> {
  const specs = artifacts.weightSpecs;
  if (!Array.isArray(specs)) throw corrupt(source, '`weightSpecs` is missing');
  let total = 0;
  const names = new Set<string>();
  for (const spec of specs) {
    const shape = (spec as { shape?: unknown }).shape;
    const valid =
      typeof spec?.name === 'string' &&
      spec.dtype === 'float32' &&
      Array.isArray(shape) &&
      shape.length <= 8 &&
      shape.every((d) => Number.isInteger(d) && d >= 0) &&
      spec.quantization === undefined;
    if (!valid) {
      throw corrupt(
        source,
        `weight spec ${JSON.stringify(spec).slice(0, 120)} is not a float32 tensor spec`,
      );
    }
    if (names.has(spec.name)) throw corrupt(source, `weight '${spec.name}' appears twice`);
    names.add(spec.name);
    total += (shape as number[]).reduce((a, b) => a * b, 1);
    if (total > MAX_PARAMETERS) {
      throw corrupt(source, `the weights declare more than ${MAX_PARAMETERS} parameters`);
    }
  }
  const data = artifacts.weightData;
  if (data === undefined) throw corrupt(source, '`weightData` is missing');
  const bytes = data instanceof ArrayBuffer ? data : tf.io.CompositeArrayBuffer.join(data);
  if (bytes.byteLength !== total * 4) {
    throw corrupt(
      source,
      `the weights hold ${bytes.byteLength} bytes, the weight specs describe ${total * 4}`,
    );
  }
  const values = new Map<string, tf.Tensor>();
  let offset = 0;
  try {
    for (const spec of specs) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const array = new Float32Array(bytes, offset, size);
      if (!array.every(Number.isFinite)) {
        throw corrupt(
          source,
          `weight '${spec.name}' ${formatShape(spec.shape)} holds non-finite values`,
        );
      }
      values.set(spec.name, tf.tensor(array.slice(), spec.shape, 'float32'));
      offset += size * 4;
    }
  } catch (error) {
    tf.dispose([...values.values()]);
    throw error;
  }
  return values;
}

function weightCount(artifacts: tf.io.ModelArtifacts): number {
  return (artifacts.weightSpecs ?? []).reduce(
    (sum, spec) => sum + (Array.isArray(spec?.shape) ? spec.shape.reduce((a, b) => a * b, 1) : 0),
    0,
  );
}

/**
 * Rebuilds the model `artifacts` describe and loads its weights (bit-exact):
 * the architecture is data, built only through registered module classes,
 * never evaluated as code; every size is bounded before it is allocated (a
 * model cannot ask for more parameters than its weights hold); names and
 * shapes must match exactly. Reads format versions 2 and 1 (the preset
 * manifests of earlier releases).
 *
 * @param source Names the artifacts in error messages (a path, a URL).
 * @param artifacts - What `modelToArtifacts` or `saveModel` wrote.
 * @param source - Names the artifacts in error messages.
 * @throws `VaeError('CHECKPOINT_CORRUPT')` for a damaged or foreign file,
 *   `'CHECKPOINT_MISMATCH'` when the weights do not fit the architecture by name,
 *   `'UNSUPPORTED'` for an unregistered module class (named).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { mlpVAE, modelFromArtifacts, modelToArtifacts } from '@vae/nn';
 * const model = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * const copy = modelFromArtifacts(await modelToArtifacts(model));
 * copy.dispose();
 * model.dispose();
 * ```
 */
export function modelFromArtifacts(
  artifacts: tf.io.ModelArtifacts,
  source = 'the model',
): Module<unknown> {
  if (typeof artifacts !== 'object' || artifacts === null) {
    throw corrupt(source, 'expected model artifacts (modelTopology, weightSpecs, weightData)');
  }
  const budget = parameterBudget(artifacts);
  const spec = specOf(artifacts, source, budget);
  const weights = decodeWeights(artifacts, source);
  try {
    const model = withParameterBudget(budget, source, () => buildFromSpec(spec, source));
    try {
      model.loadStateDict(weights, { source });
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  } finally {
    tf.dispose([...weights.values()]);
  }
}

/** Where two JSON values first differ: `model.encoder...: file 400, model 512`, or undefined. */
function firstDifference(found: unknown, expected: unknown, path: string): string | undefined {
  if (
    typeof found === 'object' &&
    found !== null &&
    typeof expected === 'object' &&
    expected !== null
  ) {
    const keys = new Set([...Object.keys(found), ...Object.keys(expected)]);
    const isList = Array.isArray(found) && Array.isArray(expected);
    for (const key of keys) {
      const inner = isList ? `${path}[${key}]` : key === 'config' ? path : `${path}.${key}`;
      const difference = firstDifference(
        (found as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        key === 'class' ? `${path} (class)` : inner,
      );
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return Object.is(found, expected)
    ? undefined
    : `${path}: file ${JSON.stringify(found) ?? 'nothing'}, model ${JSON.stringify(expected) ?? 'nothing'}`;
}

/**
 * Loads the weights of `artifacts` into an existing `model` of the same
 * architecture (checked: the same module spec), by name and all or nothing.
 *
 * @param model - The model whose parameters are assigned, by name.
 * @param artifacts - What `modelToArtifacts` or `saveModel` wrote.
 * @param source - Names the artifacts in error messages.
 * @throws `VaeError('CHECKPOINT_MISMATCH')` when the architecture or the names
 *   differ, `'CHECKPOINT_CORRUPT'` for damaged artifacts.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { loadWeightsFromArtifacts, mlpVAE, modelToArtifacts } from '@vae/nn';
 * const trained = mlpVAE({ hidden: [32], latentDim: 2, seed: 1 });
 * const fresh = mlpVAE({ hidden: [32], latentDim: 2, seed: 2 });
 * loadWeightsFromArtifacts(fresh, await modelToArtifacts(trained)); // fresh now equals trained
 * trained.dispose();
 * fresh.dispose();
 * ```
 */
export function loadWeightsFromArtifacts(
  model: Module<unknown>,
  artifacts: tf.io.ModelArtifacts,
  source = 'the model',
): void {
  const budget = parameterBudget(artifacts);
  const difference = firstDifference(specOf(artifacts, source, budget), model.spec(), 'model');
  if (difference !== undefined) {
    throw new VaeError(
      'CHECKPOINT_MISMATCH',
      `${source}: its architecture differs from the model's at ${difference}`,
    );
  }
  const weights = decodeWeights(artifacts, source);
  try {
    model.loadStateDict(weights, { source });
  } finally {
    tf.dispose([...weights.values()]);
  }
}
