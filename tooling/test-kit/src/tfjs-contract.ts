import * as tf from '@tensorflow/tfjs-core';

/**
 * For the contract tests of each package's tfjs-internals seam: checks one thing the
 * package relies on and, when it fails, says which tfjs version changed what and
 * what breaks, instead of a bare assertion error.
 *
 * @example
 * ```ts
 * const contract = tfjsContract('@vae/nn');
 * contract(typeof tf.engine().runKernel === 'function', 'tf.engine().runKernel', 'running its fused layers');
 * ```
 */
export function tfjsContract(
  packageName: string,
): (holds: boolean, what: string, usedFor: string) => void {
  return (holds, what, usedFor) => {
    if (!holds) {
      throw new Error(
        `tfjs-core ${tf.version_core} changed ${what}, which ${packageName} relies on for ${usedFor}; ` +
          `update ${packageName}'s src/internal/tfjs-internals.ts and its peer range`,
      );
    }
  };
}

/** What `fn` threw (its message), or undefined: for contract checks that expect no error. */
export function thrownBy(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
