// Shape helpers shared by every family: broadcasting and formatting for messages.

export { formatShape } from '@vae/divergence';

/** True when both shapes have the same rank and sizes. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((size, i) => size === b[i]);
}

/** The numpy broadcast of `shapes`, or `undefined` when they do not broadcast. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((shape) => shape.length));
  const result: number[] = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    const offset = rank - shape.length;
    for (let i = 0; i < shape.length; i++) {
      const size = shape[i]!;
      const current = result[offset + i]!;
      if (size === current || size === 1) continue;
      if (current !== 1) return undefined;
      result[offset + i] = size;
    }
  }
  return result;
}

/** True when `shape` ends with `suffix`. */
export function endsWith(shape: readonly number[], suffix: readonly number[]): boolean {
  if (suffix.length > shape.length) return false;
  const offset = shape.length - suffix.length;
  return suffix.every((size, i) => shape[offset + i] === size);
}

/** The axes `[rank - count, ..., rank - 1]`. */
export function lastAxes(rank: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => rank - count + i);
}

/** Whether `sampleShape` is a list of non-negative integers. */
export function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((size) => Number.isInteger(size) && size >= 0);
}
