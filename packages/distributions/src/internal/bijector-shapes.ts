// Shape helpers of the bijectors: broadcasting against parameters, trailing event axes.
import { VaeError } from '@vae/divergence';
import { broadcastShapes, formatShape } from './shapes.js';

/** The broadcast of `shape` with the parameters' shapes; throws naming `where` if they clash. */
export function broadcastWithParams(
  where: string,
  shape: readonly number[],
  params: readonly (readonly number[])[],
): number[] {
  const result = broadcastShapes([shape, ...params]);
  if (result === undefined) {
    const listed = params.map(formatShape).join(', ');
    throw new VaeError(
      'INVALID_ARGUMENT',
      `${where}: an input of shape ${formatShape(shape)} does not broadcast against the parameters ${listed}`,
    );
  }
  return result;
}

/** Throws unless `shape` ends with `event` (the trailing event axes a bijector needs). */
export function ensureTrailing(
  where: string,
  shape: readonly number[],
  event: readonly number[],
): void {
  const offset = shape.length - event.length;
  if (offset < 0 || event.some((size, i) => shape[offset + i] !== size)) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `${where}: needs a shape ending in ${formatShape(event)}, got ${formatShape(shape)}`,
    );
  }
}

/** Throws unless the last axis of `shape` has at least `min` entries. */
export function ensureLastAtLeast(where: string, shape: readonly number[], min: number): number {
  const size = shape[shape.length - 1];
  if (size === undefined || size < min) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `${where}: needs a last axis of at least ${min}, got shape ${formatShape(shape)}`,
    );
  }
  return size;
}
