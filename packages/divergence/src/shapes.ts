/**
 * A shape as error messages across the `@vae` packages print it: `[2, 3]`, and
 * `[]` for a scalar.
 *
 * @param shape - A tensor's shape.
 * @returns The shape as text.
 *
 * @example
 * ```ts
 * import { formatShape } from '@vae/divergence';
 *
 * console.log(formatShape([128, 784])); // -> [128, 784]
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
