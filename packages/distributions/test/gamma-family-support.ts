// Small helpers for the Gamma-family, relaxed and mixture suites (the shared reference and
// Monte Carlo checks live in ./helpers/).
import type * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Asserts `fn` throws a VaeError with `code` whose message matches every pattern. */
export function expectVaeError(fn: () => unknown, code: string, ...patterns: RegExp[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a VaeError').toBeDefined();
  const error = caught as { name?: string; code?: string; message?: string };
  expect(error.name).toBe('VaeError');
  expect(error.code).toBe(code);
  for (const pattern of patterns) expect(error.message).toMatch(pattern);
}

/** Tensor values as a plain array. */
export function values(x: tf.Tensor): number[] {
  return Array.from(x.dataSync());
}
