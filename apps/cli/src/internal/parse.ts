import { InvalidArgumentError } from 'commander';

/** commander argument parsers: each throws a one-line `InvalidArgumentError` saying what it wanted. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  }
  return n;
}

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'.`);
  }
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive number, got '${value}'.`);
  }
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`expected a non-negative number, got '${value}'.`);
  }
  return n;
}

/** A comma-separated list of positive integers, e.g. `512,256`. */
export function widthList(value: string): number[] {
  const widths = value.split(',').map((part) => Number(part.trim()));
  if (value.trim() === '' || widths.some((w) => !Number.isSafeInteger(w) || w <= 0)) {
    throw new InvalidArgumentError(
      `expected positive integers separated by commas, got '${value}'.`,
    );
  }
  return widths;
}

/** Two finite numbers `low,high` with low < high, e.g. `80,120`. */
export function numberRange(value: string): [number, number] {
  const parts = value.split(',');
  const [low, high] = parts.map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  if (parts.length !== 2 || !Number.isFinite(low) || !Number.isFinite(high) || low! >= high!) {
    throw new InvalidArgumentError(
      `expected two numbers low,high with low < high, got '${value}'.`,
    );
  }
  return [low!, high!];
}

export function integer(value: string): number {
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected an integer, got '${value}'.`);
  }
  return n;
}

/** A share strictly between 0 and 1, e.g. `0.1`. */
export function unitInterval(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n >= 1) {
    throw new InvalidArgumentError(`expected a number between 0 and 1, got '${value}'.`);
  }
  return n;
}

/** `parse`, then a bound: the parsed integer must be at most `max`. */
function atMost(parse: (value: string) => number, max: number): (value: string) => number {
  return (value) => {
    const n = parse(value);
    if (n > max)
      throw new InvalidArgumentError(
        `expected at most ${max.toLocaleString('en-US')}, got '${value}'.`,
      );
    return n;
  };
}

/** A positive integer no larger than `max` (a bound on the work a flag may ask for). */
export function boundedInteger(max: number): (value: string) => number {
  return atMost(positiveInteger, max);
}

/** An integer in [0, max] (0 meaning none, as for `--lr-warmup 0`). */
export function boundedNonNegativeInteger(max: number): (value: string) => number {
  return atMost(nonNegativeInteger, max);
}

/** A seed: an integer in [0, 2^32 - 1] (0 is a seed like any other). */
export function seedNumber(value: string): number {
  const n = nonNegativeInteger(value);
  if (n > 2 ** 32 - 1) {
    throw new InvalidArgumentError(`expected an integer from 0 to ${2 ** 32 - 1}, got '${value}'.`);
  }
  return n;
}

/** The most hours `--hours` accepts (a year; a bound on a typo, not on real runs). */
export const MAX_HOURS = 24 * 366;

/** A wall-clock budget in hours: a positive number (fractions allowed, e.g. `0.5`), at most a year. */
export function hoursNumber(value: string): number {
  const n = positiveNumber(value);
  if (n > MAX_HOURS) {
    throw new InvalidArgumentError(`expected at most ${MAX_HOURS} hours, got '${value}'.`);
  }
  return n;
}
