import { ensureArgument, formatShape } from '@vae/divergence';
import {
  MAX_NPY_HEADER_BYTES,
  type NpyDtype,
  type NpyHeader,
  npyCorrupt,
  npyPreamble,
  parseNpyHeader,
} from './internal/npy-header.js';
import { DEFAULT_MAX_BYTES } from './limits.js';

export { MAX_NPY_HEADER_BYTES, type NpyDtype };

/** Values of a `.npy` array, by dtype (int64 as `Float64Array`, exact up to 2^53). */
export type NpyData =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** A parsed `.npy` array: its dtype, its shape and its values in C (row-major) order. */
export interface NpyArray {
  /** The element type of `data`, from the header's `descr`. */
  dtype: NpyDtype;
  /** Dimensions, outermost first. */
  shape: number[];
  /** `prod(shape)` values in C order (a Fortran-order file is transposed on reading). */
  data: NpyData;
}

/** Options of {@link parseNpy}. */
export interface ParseNpyOptions {
  /** The most bytes the values may take (default `DEFAULT_MAX_BYTES`, 1 GiB), checked on the header. */
  maxBytes?: number;
  /** What to call the file in error messages (default `'parseNpy'`). */
  name?: string;
}

const ARRAYS = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: Float64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

function readElement(view: DataView, header: NpyHeader, name: string): (i: number) => number {
  const le = header.littleEndian;
  switch (header.dtype) {
    case 'uint8':
      return (i) => view.getUint8(i);
    case 'int8':
      return (i) => view.getInt8(i);
    case 'uint16':
      return (i) => view.getUint16(2 * i, le);
    case 'int16':
      return (i) => view.getInt16(2 * i, le);
    case 'int32':
      return (i) => view.getInt32(4 * i, le);
    case 'float32':
      return (i) => view.getFloat32(4 * i, le);
    case 'float64':
      return (i) => view.getFloat64(8 * i, le);
    case 'int64':
      return (i) => {
        const value = view.getBigInt64(8 * i, le);
        if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
          throw npyCorrupt(
            name,
            `int64 value ${value} at index ${i} is beyond 2^53 and cannot be read exactly`,
          );
        }
        return Number(value);
      };
  }
}

/** Index in Fortran order of each element in C order. */
function fortranToC(values: NpyData, shape: readonly number[]): NpyData {
  const out = new (values.constructor as Float64ArrayConstructor)(values.length) as NpyData;
  const rank = shape.length;
  const strides = shape.map((_, axis) => shape.slice(0, axis).reduce((a, b) => a * b, 1));
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let c = 0; c < values.length; c++) {
    out[c] = values[from]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]!++;
      from += strides[axis]!;
      if (index[axis]! < shape[axis]!) break;
      from -= index[axis]! * strides[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}

/**
 * The values of a `.npy` body (the bytes after the header), in C order. `body` must
 * hold exactly `header.dataBytes` bytes; an `owned` body may become the result's buffer.
 */
export function npyValues(
  header: NpyHeader,
  body: Uint8Array,
  source: { name: string; owned: boolean },
): NpyData {
  const { name, owned } = source;
  const count = header.dataBytes / header.elementBytes;
  const Out = ARRAYS[header.dtype];
  let values: NpyData;
  if (header.elementBytes === 1 || (header.littleEndian && header.dtype !== 'int64')) {
    // NumPy's little-endian is ours: view the bytes (copied unless owned and aligned).
    const aligned = owned && body.byteOffset % header.elementBytes === 0;
    values = aligned
      ? new Out(body.buffer as ArrayBuffer, body.byteOffset, count)
      : new Out(body.slice().buffer, 0, count);
  } else {
    values = new Out(count);
    const read = readElement(
      new DataView(body.buffer, body.byteOffset, body.byteLength),
      header,
      name,
    );
    for (let i = 0; i < count; i++) values[i] = read(i);
  }
  return header.fortranOrder && header.shape.length > 1 ? fortranToC(values, header.shape) : values;
}

/** Reads and checks the header at the start of `bytes`; `maxBytes` bounds the values. */
export function readNpyHeader(
  bytes: Uint8Array,
  limits: { name: string; maxBytes: number },
): NpyHeader {
  const { name, maxBytes } = limits;
  const { start, length } = npyPreamble(bytes, name);
  if (bytes.length < start + length) {
    throw npyCorrupt(
      name,
      `expected a ${length}-byte header, found ${Math.max(0, bytes.length - start)} bytes (truncated)`,
    );
  }
  const text = new TextDecoder().decode(bytes.subarray(start, start + length));
  const header = parseNpyHeader(text, { dataOffset: start + length, name });
  if (header.dataBytes > maxBytes) {
    throw npyCorrupt(
      name,
      `the header announces ${header.dtype} values of shape ${formatShape(header.shape)}, ${header.dataBytes} bytes, more than maxBytes = ${maxBytes}; pass a larger \`maxBytes\` if the file is genuine`,
    );
  }
  return header;
}

/** Checks that `found` body bytes are what the header announced. */
export function checkNpyBody(header: NpyHeader, found: number, name: string): void {
  if (found !== header.dataBytes) {
    throw npyCorrupt(
      name,
      `expected ${header.dataBytes} bytes of ${header.dtype} values of shape ${formatShape(header.shape)} after the header, found ${found} (${found < header.dataBytes ? 'truncated' : 'trailing bytes'})`,
    );
  }
}

/**
 * Parses a NumPy `.npy` file (format versions 1 to 3): uint8, int8, uint16, int16,
 * int32, int64 (exact up to 2^53, else an error), float32 and float64, little or big
 * endian, C or Fortran order (returned in C order). The header length is bounded by
 * {@link MAX_NPY_HEADER_BYTES} and the values by `maxBytes` before anything is allocated.
 * Make a data set of it with `fromArray(data, shape)`.
 *
 * @param bytes - A whole `.npy` file.
 * @param options - `name` (used in error messages) and `maxBytes` (see {@link ParseNpyOptions}).
 * @throws `VaeError('DATA_CORRUPT')` naming the file on a bad magic number, an
 *   unsupported dtype (structured, complex, float16, bool, object, ...), a size above
 *   the bounds, a truncated file or trailing bytes.
 *
 * @example
 * ```ts
 * import { parseNpy } from '@vae/data';
 *
 * const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
 * const text = new TextEncoder().encode(header.padEnd(117, ' ') + '\n');
 * const bytes = new Uint8Array(128 + 8);
 * bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
 * bytes.set(text, 10);
 * new DataView(bytes.buffer).setFloat32(128, 1.5, true);
 * console.log(parseNpy(bytes).data); // -> Float32Array(2) [ 1.5, 0 ]
 * ```
 */
export function parseNpy(bytes: Uint8Array | ArrayBuffer, options: ParseNpyOptions = {}): NpyArray {
  const { maxBytes = DEFAULT_MAX_BYTES, name = 'parseNpy' } = options;
  ensureArgument(
    Number.isInteger(maxBytes) && maxBytes > 0,
    () => `parseNpy: \`maxBytes\` must be a positive integer, got ${maxBytes}`,
  );
  const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const header = readNpyHeader(array, { name, maxBytes });
  checkNpyBody(header, array.length - header.dataOffset, name);
  const body = array.subarray(header.dataOffset);
  return {
    dtype: header.dtype,
    shape: header.shape,
    data: npyValues(header, body, { name, owned: false }),
  };
}
