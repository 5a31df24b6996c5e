import { describe, expect, it } from 'vitest';
import { ensureArgument, VaeError } from '../src/index.js';

describe('VaeError', () => {
  it('carries a code and is recognized by isInstance', () => {
    const error = new VaeError('INVALID_ARGUMENT', 'f: `x` must be finite');
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error).toBeInstanceOf(Error);
    expect(VaeError.isInstance(error)).toBe(true);
    expect(VaeError.isInstance(new Error('other'))).toBe(false);
    expect(VaeError.isInstance(null)).toBe(false);
  });

  it('is recognized across duplicate copies through the global symbol', () => {
    const foreign = Object.assign(new Error('copy'), { [Symbol.for('@vae/error')]: true });
    expect(VaeError.isInstance(foreign)).toBe(true);
  });

  it('ensureArgument builds its message only on failure', () => {
    let built = 0;
    ensureArgument(true, () => {
      built++;
      return 'unused';
    });
    expect(built).toBe(0);
    expect(() => ensureArgument(false, () => 'g: `y` must be positive, got -1')).toThrowError(
      /g: `y` must be positive, got -1/,
    );
  });
});
