/** Every failure code a `@vae` package raises. */
export type VaeErrorCode =
  | 'INVALID_ARGUMENT'
  | 'KL_NOT_REGISTERED'
  | 'NOT_REPARAMETERIZABLE'
  | 'NOT_POSITIVE_DEFINITE'
  | 'UNSUPPORTED'
  | 'BACKEND_UNAVAILABLE'
  | 'DATA_CORRUPT'
  | 'CHECKPOINT_CORRUPT'
  | 'CHECKPOINT_MISMATCH'
  | 'TRAINING_DIVERGED'
  | 'ABORTED';

// A registry-wide symbol survives duplicate installs of this package, where `instanceof` does not.
const VAE_ERROR_MARKER = Symbol.for('@vae/error');

/**
 * The one error class every `@vae` package throws. Messages name the function
 * and the argument and say what was received.
 *
 * @example
 * ```ts
 * try {
 *   new Normal({ loc: 0, scale: -1 });
 * } catch (error) {
 *   if (VaeError.isInstance(error) && error.code === 'INVALID_ARGUMENT') console.error(error.message);
 * }
 * ```
 */
export class VaeError extends Error {
  readonly [VAE_ERROR_MARKER] = true;
  /** What kind of failure this is; stable across versions, unlike the message. */
  readonly code: VaeErrorCode;

  constructor(code: VaeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VaeError';
    this.code = code;
  }

  /** True for a `VaeError` from any copy of this package. */
  static isInstance(error: unknown): error is VaeError {
    return typeof error === 'object' && error !== null && VAE_ERROR_MARKER in error;
  }
}

/**
 * Throws an `INVALID_ARGUMENT` {@link VaeError} unless `condition` holds. The
 * message is built only on failure, so checks stay cheap.
 *
 * @example
 * ```ts
 * ensureArgument(k >= 1, () => `iwae: \`k\` must be at least 1, got ${k}`);
 * ```
 */
export function ensureArgument(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new VaeError('INVALID_ARGUMENT', message());
}
