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
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { kl, VaeError } from '@vae/divergence';
 *
 * try {
 *   kl(tf.tensor([0.7, 0.7]), tf.tensor([0.5, 0.5]));
 * } catch (error) {
 *   if (VaeError.isInstance(error) && error.code === 'INVALID_ARGUMENT') {
 *     console.error(error.message); // -> kl: `p` must sum to 1 over axis 0, got a tensor of shape [2] with a sum of 1.4
 *   }
 * }
 * ```
 */
export class VaeError extends Error {
  /** Marks the error for {@link VaeError.isInstance}, which `instanceof` cannot do across copies. */
  readonly [VAE_ERROR_MARKER] = true;
  /** What kind of failure this is; stable across versions, unlike the message. */
  readonly code: VaeErrorCode;

  /**
   * An error with a stable `code`.
   *
   * @param code - What kind of failure this is (see {@link VaeErrorCode}).
   * @param message - Names the function and the argument and shows what was received.
   * @param options - `cause`: the error this one wraps, if any.
   */
  constructor(code: VaeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VaeError';
    this.code = code;
  }

  /**
   * True for a `VaeError` from any copy of this package (`instanceof` fails across duplicate installs).
   *
   * @param error - Anything caught.
   */
  static isInstance(error: unknown): error is VaeError {
    return typeof error === 'object' && error !== null && VAE_ERROR_MARKER in error;
  }
}

/**
 * Throws an `INVALID_ARGUMENT` {@link VaeError} unless `condition` holds. The
 * message is built only on failure, so checks stay cheap.
 *
 * @param condition - What must hold.
 * @param message - Builds the message: names the function and the argument and shows what was received.
 *
 * @example
 * ```ts
 * import { ensureArgument } from '@vae/divergence';
 *
 * function iwaeSamples(k: number): number {
 *   ensureArgument(Number.isInteger(k) && k >= 1, () => `iwae: \`k\` must be an integer >= 1, got ${k}`);
 *   return k; // here TypeScript and the reader know the check passed
 * }
 * iwaeSamples(5);
 * ```
 */
export function ensureArgument(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new VaeError('INVALID_ARGUMENT', message());
}
