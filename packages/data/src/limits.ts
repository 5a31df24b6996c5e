/**
 * The most bytes a loader reads or inflates from one file unless told otherwise
 * (`maxBytes`): 1 GiB. Sizes announced by a header are checked against it before
 * anything is allocated, and inflation stops as soon as the output passes it.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_BYTES } from '@vae/data';
 *
 * console.log(DEFAULT_MAX_BYTES); // -> 1073741824
 * ```
 */
export const DEFAULT_MAX_BYTES = 2 ** 30;
