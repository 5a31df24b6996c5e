/**
 * A shape as error messages across the @vae packages print it: `[2, 3]`, and
 * `[]` for a scalar.
 *
 * @example
 * ```ts
 * formatShape([128, 784]); // '[128, 784]'
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
