import { VaeError } from '@vae/divergence';
import type { ArrayValues, DatasetValues } from '../dataset.js';

/**
 * The compact storage of `values`: 8-bit arrays stay uint8 (no copy), float32 stays as
 * it is, anything else becomes a float32 copy whose values must be finite.
 * `what` names the argument in the error, e.g. "fromArray: `values`".
 */
export function storageOf(
  values: ArrayValues,
  what: string,
  code: 'INVALID_ARGUMENT' | 'DATA_CORRUPT' = 'INVALID_ARGUMENT',
): DatasetValues {
  if (values instanceof Uint8Array) return values;
  if (values instanceof Uint8ClampedArray) {
    return new Uint8Array(values.buffer, values.byteOffset, values.length);
  }
  const floats = values instanceof Float32Array ? values : Float32Array.from(values);
  for (let i = 0; i < floats.length; i++) {
    if (!Number.isFinite(floats[i]!)) {
      throw new VaeError(
        code,
        `${what} must be finite, found ${floats[i]} at index ${i}${Number.isFinite(values[i]!) ? ` (${values[i]} overflows float32)` : ''}`,
      );
    }
  }
  return floats;
}
