// Checks that read tensors back (construction and logProb with validateArgs): messages name the
// class, the argument and what was received, and are built only when a check fails.
import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Constraint } from './constraints.js';
import { formatShape } from './shapes.js';

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/** `a tensor of shape [4] with min -0.3, max 2 (1 invalid entry, first -0.3)`. */
export function describeInvalid(
  x: tf.Tensor,
  valid: Uint8Array | Int32Array | Float32Array,
): string {
  const data = x.dataSync();
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let nan = 0;
  for (const value of data) {
    if (Number.isNaN(value)) nan++;
    else {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }
  const perEntry = valid.length === 0 ? 1 : data.length / valid.length;
  let invalid = 0;
  let first: number | undefined;
  valid.forEach((ok, i) => {
    if (ok) return;
    invalid++;
    first ??= data[i * perEntry];
  });
  const range =
    nan === data.length ? 'all NaN' : `min ${formatNumber(min)}, max ${formatNumber(max)}`;
  const nanNote = nan > 0 && nan < data.length ? `, ${nan} NaN` : '';
  const firstNote = first === undefined ? '' : `, first ${formatNumber(first)}`;
  const unit = perEntry > 1 ? 'invalid row' : 'invalid entry';
  return `a tensor of shape ${formatShape(x.shape)} with ${range}${nanNote} (${invalid} ${unit}${invalid === 1 ? '' : 's'}${firstNote})`;
}

/**
 * Throws `INVALID_ARGUMENT` unless every entry of `x` satisfies `constraint`. `subject` names the
 * place and the argument, e.g. ``Normal: `scale` `` gives
 * ``Normal: `scale` must be positive, got a tensor of shape [4] with min -0.3, ...``.
 */
export function ensureConstraint(x: tf.Tensor, constraint: Constraint, subject: string): void {
  const valid = tf.tidy(() => tf.cast(constraint.check(x), 'int32'));
  const flags = valid.dataSync() as Int32Array;
  valid.dispose();
  if (flags.every((flag) => flag === 1)) return;
  throw new VaeError(
    'INVALID_ARGUMENT',
    `${subject} must be ${constraint.description}, got ${describeInvalid(x, flags)}`,
  );
}

/** Throws `INVALID_ARGUMENT` with a lazily built message unless `condition` holds. */
export function ensure(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new VaeError('INVALID_ARGUMENT', message());
}
