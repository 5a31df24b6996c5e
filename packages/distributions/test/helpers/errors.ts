// Asserting VaeError codes and messages.
import { expect } from 'vitest';
import { VaeError, type VaeErrorCode } from '../../src/index.js';

/** Asserts that `f` throws a VaeError with `code` whose message matches `pattern`. */
export function expectVaeError(
  f: () => unknown,
  pattern: RegExp,
  code: VaeErrorCode = 'INVALID_ARGUMENT',
): void {
  try {
    f();
  } catch (error) {
    expect(VaeError.isInstance(error), String(error)).toBe(true);
    expect((error as VaeError).code).toBe(code);
    expect((error as Error).message).toMatch(pattern);
    return;
  }
  expect.fail(`expected a VaeError ${code} matching ${pattern}, but nothing was thrown`);
}
