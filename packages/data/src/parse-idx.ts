import { VaeError } from '@vae/divergence';

/** The element types an IDX file can hold (the third byte of its magic number). */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** Typed array per IDX element type. */
export type IdxData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** A parsed IDX file: element type, dimensions and the values in row-major order. */
export interface IdxArray {
  dtype: IdxDtype;
  /** Dimensions, outermost first, e.g. `[60000, 28, 28]` for MNIST images. */
  shape: number[];
  /** `shape.reduce(*)` values, row-major. */
  data: IdxData;
}

const DTYPES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};

function corrupt(message: string): VaeError {
  return new VaeError('DATA_CORRUPT', `parseIdx: ${message}`);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

function readValues(
  view: DataView,
  header: { offset: number; count: number; dtype: IdxDtype },
): IdxData {
  const { offset, count, dtype } = header;
  if (dtype === 'uint8')
    return new Uint8Array(view.buffer, view.byteOffset + offset, count).slice();
  if (dtype === 'int8') return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
  // Multi-byte IDX values are big-endian; read them one by one.
  const read = {
    int16: { array: Int16Array, get: (i: number) => view.getInt16(offset + 2 * i, false) },
    int32: { array: Int32Array, get: (i: number) => view.getInt32(offset + 4 * i, false) },
    float32: { array: Float32Array, get: (i: number) => view.getFloat32(offset + 4 * i, false) },
    float64: { array: Float64Array, get: (i: number) => view.getFloat64(offset + 8 * i, false) },
  }[dtype];
  const out = new read.array(count);
  for (let i = 0; i < count; i++) out[i] = read.get(i);
  return out;
}

/**
 * Parses an IDX file (the format of the MNIST distribution): two zero bytes,
 * an element-type byte, a dimension-count byte, one big-endian uint32 per
 * dimension, then the values. The result owns a copy of the values.
 *
 * @param bytes - the whole file.
 * @returns the element type, the dimensions and the values.
 * @throws `VaeError('DATA_CORRUPT')` on a wrong magic number, an unknown type,
 *   a truncated header or body, or trailing bytes, saying what was expected and found.
 *
 * @example
 * ```ts
 * const { shape, data } = parseIdx(readFileSync('train-images-idx3-ubyte'));
 * // shape: [60000, 28, 28], data: Uint8Array of 47,040,000 pixels
 * ```
 */
export function parseIdx(bytes: Uint8Array | ArrayBuffer): IdxArray {
  const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(array.buffer, array.byteOffset, array.byteLength);
  if (array.byteLength < 4) {
    throw corrupt(`expected a 4-byte magic number, found a file of ${array.byteLength} bytes`);
  }
  if (array[0] !== 0 || array[1] !== 0) {
    throw corrupt(
      `expected the magic number to start with bytes 0x00 0x00, found ${hex(array[0]!)} ${hex(array[1]!)} (not an IDX file)`,
    );
  }
  const type = DTYPES[array[2]!];
  if (type === undefined) {
    throw corrupt(
      `expected an element type byte of 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e, found ${hex(array[2]!)}`,
    );
  }
  const rank = array[3]!;
  if (rank === 0) throw corrupt('expected at least one dimension, found 0');
  const headerBytes = 4 + 4 * rank;
  if (array.byteLength < headerBytes) {
    throw corrupt(
      `expected a ${headerBytes}-byte header for ${rank} dimensions, found ${array.byteLength} bytes (truncated)`,
    );
  }
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (array.byteLength !== expected) {
    const what = array.byteLength < expected ? 'truncated' : 'trailing bytes';
    throw corrupt(
      `expected ${expected} bytes for ${type.dtype} values of shape [${shape.join(', ')}], found ${array.byteLength} (${what})`,
    );
  }
  return {
    dtype: type.dtype,
    shape,
    data: readValues(view, { offset: headerBytes, count, dtype: type.dtype }),
  };
}

/**
 * Encodes an array as an IDX file (the inverse of {@link parseIdx}); handy for
 * writing fixtures and small data sets.
 *
 * @example
 * ```ts
 * const bytes = encodeIdx({ dtype: 'uint8', shape: [2, 2], data: new Uint8Array([0, 255, 255, 0]) });
 * parseIdx(bytes).shape; // [2, 2]
 * ```
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const code = Number(Object.entries(DTYPES).find(([, t]) => t.dtype === array.dtype)![0]);
  const bytes = DTYPES[code]!.bytes;
  const header = 4 + 4 * array.shape.length;
  const out = new Uint8Array(header + array.data.length * bytes);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = array.shape.length;
  array.shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0; i < array.data.length; i++) {
    const offset = header + i * bytes;
    const value = array.data[i]!;
    if (array.dtype === 'uint8') view.setUint8(offset, value);
    else if (array.dtype === 'int8') view.setInt8(offset, value);
    else if (array.dtype === 'int16') view.setInt16(offset, value, false);
    else if (array.dtype === 'int32') view.setInt32(offset, value, false);
    else if (array.dtype === 'float32') view.setFloat32(offset, value, false);
    else view.setFloat64(offset, value, false);
  }
  return out;
}
