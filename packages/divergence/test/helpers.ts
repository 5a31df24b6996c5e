import type * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { VaeError } from '../src/index.js';

/** The first element of a tensor as a number. */
export const value = (x: tf.Tensor): number => x.dataSync()[0]!;

/** True when every element of every tensor is finite. */
export const allFinite = (...xs: tf.Tensor[]): boolean =>
  xs.every((x) => Array.from(x.dataSync()).every(Number.isFinite));

/** Asserts that `fn` throws an INVALID_ARGUMENT VaeError whose message matches. */
export function expectInvalidArgument(fn: () => unknown, message: string | RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(VaeError.isInstance(error), `expected a VaeError matching ${message}`).toBe(true);
  expect((error as VaeError).code).toBe('INVALID_ARGUMENT');
  if (typeof message === 'string') expect((error as VaeError).message).toBe(message);
  else expect((error as VaeError).message).toMatch(message);
}
