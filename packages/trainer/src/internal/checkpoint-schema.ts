import type * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Checkpoint, EpochSummary, TrainingState } from '../checkpoint.js';

/** The most weight bytes a checkpoint may declare (4 GiB). */
export const MAX_WEIGHT_BYTES = 2 ** 32;
const MAX_WEIGHTS = 100_000;
const MAX_HISTORY = 1_000_000;
const BYTES: Record<string, number> = { float32: 4, int32: 4 };

type Fail = (why: string) => never;

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function checkNumberRecord(value: unknown, where: string, fail: Fail): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${where} must be an object of numbers`);
  }
  for (const [key, number] of Object.entries(value as object)) {
    if (typeof number !== 'number') fail(`${where}.${key} must be a number`);
  }
}

function checkHistory(history: unknown, fail: Fail): void {
  if (!Array.isArray(history) || history.length > MAX_HISTORY) {
    fail(`state.history must be a list of at most ${MAX_HISTORY} epochs`);
  }
  history.forEach((line: Partial<EpochSummary> | null, i) => {
    const ok =
      typeof line === 'object' &&
      line !== null &&
      isCount(line.epoch) &&
      isCount(line.step) &&
      typeof line.loss === 'number' &&
      (line.validationLoss === undefined || typeof line.validationLoss === 'number');
    if (!ok) fail(`state.history[${i}] is not an epoch summary`);
    checkNumberRecord(line?.metrics, `state.history[${i}].metrics`, fail);
    checkNumberRecord(line?.validationMetrics, `state.history[${i}].validationMetrics`, fail);
  });
}

function checkState(state: unknown, fail: Fail): asserts state is TrainingState {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    fail('`state` must be an object');
  }
  const s = state as Partial<TrainingState>;
  for (const key of [
    'epoch',
    'batchInEpoch',
    'step',
    'batchSize',
    'dataSize',
    'epochExamples',
  ] as const) {
    if (!isCount(s[key]))
      fail(`state.${key} must be a non-negative integer, got ${JSON.stringify(s[key])}`);
  }
  if (typeof s.seed !== 'number' || !Number.isFinite(s.seed))
    fail('state.seed must be a finite number');
  if (typeof s.epochLossSum !== 'number') fail('state.epochLossSum must be a number');
  if (s.best !== null && typeof s.best !== 'number') fail('state.best must be a number or null');
  if (!isCount(s.epochsWithoutImprovement)) fail('state.epochsWithoutImprovement must be a count');
  if (typeof s.optimizer !== 'string') fail('state.optimizer must be a string');
  if (s.runId !== undefined && (typeof s.runId !== 'string' || s.runId.length > 200)) {
    fail('state.runId must be a short string');
  }
  checkNumberRecord(s.epochMetricSums ?? {}, 'state.epochMetricSums', fail);
  checkHistory(s.history, fail);
}

/** Checks the weight specs; returns the bytes they describe (bounded before any allocation). */
function checkSpecs(specs: unknown, fail: Fail): number {
  if (!Array.isArray(specs) || specs.length > MAX_WEIGHTS) {
    fail(`weightSpecs must be a list of at most ${MAX_WEIGHTS} entries`);
  }
  let total = 0;
  const names = new Set<string>();
  for (const spec of specs as Partial<tf.io.WeightsManifestEntry>[]) {
    const bytes = BYTES[String(spec?.dtype)];
    const shape = spec?.shape;
    if (
      typeof spec?.name !== 'string' ||
      spec.name.length > 1000 ||
      bytes === undefined ||
      !Array.isArray(shape) ||
      shape.length > 8 ||
      !shape.every(isCount) ||
      spec.quantization !== undefined
    ) {
      fail(
        `weight spec ${JSON.stringify(spec)?.slice(0, 120)} is not a float32 or int32 tensor spec`,
      );
    }
    if (names.has(spec.name)) fail(`weight '${spec.name}' appears twice`);
    names.add(spec.name);
    total += shape.reduce((a, b) => a * b, 1) * bytes;
    if (!Number.isSafeInteger(total) || total > MAX_WEIGHT_BYTES) {
      fail(`the weight specs declare more than ${MAX_WEIGHT_BYTES} bytes`);
    }
  }
  return total;
}

/**
 * Checks everything of a checkpoint but its weight bytes: the format and
 * version, the state's fields and the weight specs, with bounded sizes. Returns
 * the byte length the specs describe. Throws `VaeError('CHECKPOINT_CORRUPT')`
 * naming `source` and the field.
 */
export function checkCheckpointHeader(
  header: unknown,
  source: string,
): asserts header is Omit<Checkpoint, 'weightData'> {
  const fail: Fail = (why) => {
    throw new VaeError('CHECKPOINT_CORRUPT', `${source} is not a valid checkpoint: ${why}`);
  };
  if (typeof header !== 'object' || header === null) fail('the header is not an object');
  const { format, version } = header as { format?: unknown; version?: unknown };
  if (format === 'vae-trainer-checkpoint' && version === 1) {
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `${source} was written by an earlier @vae/trainer (format 'vae-trainer-checkpoint' version 1, weights by position), which this version does not resume from; start the run again, or load its trained model from the model folder beside it`,
    );
  }
  if (format !== 'vae-checkpoint' || version !== 2) {
    fail(
      `format ${JSON.stringify(format)} version ${JSON.stringify(version)} is not a vae checkpoint version 2 (a newer @vae/trainer may read it)`,
    );
  }
  const h = header as Partial<Checkpoint>;
  checkState(h.state, fail);
  checkSpecs(h.weightSpecs, fail);
}

/** The bytes the (checked) weight specs of a checkpoint describe. */
export function weightBytesOf(specs: readonly tf.io.WeightsManifestEntry[]): number {
  return specs.reduce(
    (sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * (BYTES[s.dtype] ?? 4),
    0,
  );
}
