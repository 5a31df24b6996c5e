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

export function integer(value: string): number {
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected an integer, got '${value}'.`);
  }
  return n;
}
