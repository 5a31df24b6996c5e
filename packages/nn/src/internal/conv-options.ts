import { ensureArgument } from '@vae/divergence';

/** A size given as one number for both spatial axes or as [height, width]. */
export type Size2 = number | readonly [number, number];

export function pair(value: Size2, owner: string, name: string): [number, number] {
  const out: [number, number] = typeof value === 'number' ? [value, value] : [value[0], value[1]];
  ensureArgument(
    out.every((v) => Number.isInteger(v) && v > 0),
    () => `${owner}: \`${name}\` must be positive integers, got ${JSON.stringify(value)}`,
  );
  return out;
}

export function positiveInteger(value: number, owner: string, name: string): number {
  ensureArgument(
    Number.isInteger(value) && value > 0,
    () => `${owner}: \`${name}\` must be a positive integer, got ${value}`,
  );
  return value;
}
