import * as tf from '@tensorflow/tfjs-core';
import { formatShape } from '../shapes.js';
import type { TensorInput } from '../tensor-input.js';
import { ensureArgument, VaeError } from '../vae-error.js';

export type { TensorInput };
export { formatShape };

/** Which function and which of its arguments a check is about, for messages. */
export interface Argument {
  fn: string;
  name: string;
}

/** `kl: \`p\`` */
function label(arg: Argument): string {
  return `${arg.fn}: \`${arg.name}\``;
}

/** Shows a number compactly: six significant digits, `Infinity` and `NaN` as such. */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}

/**
 * Describes what was received for an error message: a scalar by its value,
 * anything else by its shape and one statistic, e.g.
 * `a tensor of shape [2, 3] with min -0.1`.
 */
export function describeTensor(x: tf.Tensor, statistic: string, value: number): string {
  if (x.rank === 0) return formatNumber(value);
  return `a tensor of shape ${formatShape(x.shape)} with ${statistic} ${formatNumber(value)}`;
}

/**
 * Converts an input to a float32 tensor (inside the caller's scope, so a
 * converted copy is freed with it). Rejects strings and complex numbers.
 */
export function toFloatTensor(arg: Argument, x: TensorInput): tf.Tensor {
  let tensor: tf.Tensor;
  if (x instanceof tf.Tensor) {
    tensor = x;
  } else {
    try {
      tensor = tf.tensor(x as tf.TensorLike);
    } catch (error) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `${label(arg)} must be a tensor or (nested) array of numbers, got ${typeof x}`,
        { cause: error },
      );
    }
  }
  ensureArgument(
    tensor.dtype === 'float32' || tensor.dtype === 'int32' || tensor.dtype === 'bool',
    () => `${label(arg)} must hold numbers, got a tensor of dtype ${tensor.dtype}`,
  );
  return tensor.dtype === 'float32' ? tensor : tf.cast(tensor, 'float32');
}

/** Reads several scalars back in one transfer. */
function readScalars(build: () => tf.Scalar[]): number[] {
  return Array.from(tf.tidy(() => tf.stack(build())).dataSync());
}

function nanCount(x: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.isNaN(x), 'float32'));
}

function ensureNoNaN(arg: Argument, x: tf.Tensor, count: number): void {
  ensureArgument(
    count === 0,
    () =>
      `${label(arg)} must not contain NaN, got ${x.rank === 0 ? 'NaN' : `a tensor of shape ${formatShape(x.shape)} with ${count} NaN`}`,
  );
}

/** Throws unless every element is finite (optionally allowing `-Infinity`). */
export function checkFinite(
  arg: Argument,
  x: tf.Tensor,
  options: { allowMinusInfinity?: boolean } = {},
): void {
  const [count, min, max] = readScalars(() => [nanCount(x), tf.min(x), tf.max(x)]) as [
    number,
    number,
    number,
  ];
  ensureNoNaN(arg, x, count);
  ensureArgument(
    max !== Number.POSITIVE_INFINITY,
    () => `${label(arg)} must be finite, got ${describeTensor(x, 'max', max)}`,
  );
  ensureArgument(
    options.allowMinusInfinity === true || min !== Number.NEGATIVE_INFINITY,
    () => `${label(arg)} must be finite, got ${describeTensor(x, 'min', min)}`,
  );
}

/** Throws unless every element is finite and strictly positive. */
export function checkPositive(arg: Argument, x: tf.Tensor): void {
  checkFinite(arg, x);
  const [min] = readScalars(() => [tf.min(x)]) as [number];
  ensureArgument(
    min > 0,
    () => `${label(arg)} must be positive, got ${describeTensor(x, 'min', min)}`,
  );
}

/** How far a float32 row sum may be from 1: 1e-4, growing like sqrt(n) for long rows. */
export function sumTolerance(eventSize: number): number {
  return 1e-4 * Math.max(1, Math.sqrt(eventSize / 10));
}

/**
 * Throws unless `p` holds probabilities in [0, 1] that sum to 1 along `axis`
 * (within {@link sumTolerance}).
 */
export function checkProbabilities(arg: Argument, p: tf.Tensor, axis: number): void {
  const [count, min, max, minSum, maxSum] = readScalars(() => {
    const sums = tf.sum(p, axis);
    return [nanCount(p), tf.min(p), tf.max(p), tf.min(sums), tf.max(sums)];
  }) as [number, number, number, number, number];
  ensureNoNaN(arg, p, count);
  const rangeMessage = (statistic: string, value: number) =>
    `${label(arg)} must hold probabilities in [0, 1], got ${describeTensor(p, statistic, value)}`;
  ensureArgument(min >= 0, () => rangeMessage('min', min));
  ensureArgument(max <= 1, () => rangeMessage('max', max));
  const tolerance = sumTolerance(p.shape[axis] ?? 1);
  const worst = Math.abs(minSum - 1) > Math.abs(maxSum - 1) ? minSum : maxSum;
  ensureArgument(
    Math.abs(worst - 1) <= tolerance,
    () =>
      `${label(arg)} must sum to 1 over axis ${axis}, got a tensor of shape ${formatShape(p.shape)} with a sum of ${formatNumber(worst)}`,
  );
}

/**
 * Throws unless `logits` has no NaN or +Infinity and every row along `axis`
 * has at least one finite entry (`-Infinity` means probability 0).
 */
export function checkLogits(arg: Argument, logits: tf.Tensor, axis: number): void {
  const [count, max, minRowMax] = readScalars(() => [
    nanCount(logits),
    tf.max(logits),
    tf.min(tf.max(logits, axis)),
  ]) as [number, number, number];
  ensureNoNaN(arg, logits, count);
  ensureArgument(
    max !== Number.POSITIVE_INFINITY,
    () =>
      `${label(arg)} must be logits without +Infinity, got ${describeTensor(logits, 'max', max)}`,
  );
  ensureArgument(
    minRowMax !== Number.NEGATIVE_INFINITY,
    () =>
      `${label(arg)} must have a finite logit in every row along axis ${axis}, got a tensor of shape ${formatShape(logits.shape)} with a row of -Infinity`,
  );
}

/** The broadcast shape of several shapes, or a thrown error naming them. */
export function broadcastShapes(
  fn: string,
  inputs: ReadonlyArray<readonly [name: string, shape: readonly number[]]>,
): number[] {
  const rank = Math.max(...inputs.map(([, shape]) => shape.length));
  const result: number[] = new Array<number>(rank).fill(1);
  for (const [, shape] of inputs) {
    for (let i = 0; i < shape.length; i++) {
      const at = rank - shape.length + i;
      const size = shape[i]!;
      const current = result[at]!;
      if (size === current || size === 1) continue;
      if (current === 1) {
        result[at] = size;
        continue;
      }
      const names = inputs.map(([name]) => `\`${name}\``).join(' and ');
      const shapes = inputs.map(([, s]) => formatShape(s)).join(' and ');
      throw new VaeError(
        'INVALID_ARGUMENT',
        `${fn}: ${names} must have the same or broadcastable shapes, got ${shapes}`,
      );
    }
  }
  return result;
}

/** Broadcasts `x` to `shape` unless it already has it. */
export function broadcastTo(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const same = x.rank === shape.length && x.shape.every((size, i) => size === shape[i]);
  return same ? x : tf.broadcastTo(x, [...shape]);
}

/** Resolves a possibly negative axis against `rank`, or throws. */
export function resolveAxis(fn: string, axis: number, rank: number): number {
  ensureArgument(
    rank >= 1,
    () => `${fn}: inputs must have at least one axis (the event axis), got a scalar`,
  );
  ensureArgument(
    Number.isInteger(axis) && axis >= -rank && axis < rank,
    () =>
      `${fn}: \`axis\` must be an integer in [${-rank}, ${rank - 1}] for rank-${rank} inputs, got ${axis}`,
  );
  return axis < 0 ? axis + rank : axis;
}
