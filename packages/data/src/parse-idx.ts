import { IDX_DTYPES, idxCorrupt, readIdxHeader } from './internal/idx-header.js';

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
  /** The element type of `data`, from the file's type byte. */
  dtype: IdxDtype;
  /** Dimensions, outermost first, e.g. `[60000, 28, 28]` for MNIST images. */
  shape: number[];
  /** `shape.reduce(*)` values, row-major. */
  data: IdxData;
}

function readValues(
  view: DataView,
  header: { offset: number; count: number; dtype: IdxDtype; copy: boolean },
): IdxData {
  const { offset, count, dtype, copy } = header;
  if (dtype === 'uint8' || dtype === 'int8') {
    const bytes = new (dtype === 'uint8' ? Uint8Array : Int8Array)(
      view.buffer as ArrayBuffer,
      view.byteOffset + offset,
      count,
    );
    return copy ? bytes.slice() : bytes;
  }
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
 * import { readFileSync } from 'node:fs';
 * import { parseIdx } from '@vae/data';
 * import { mnistFiles } from '@vae/data/node';
 *
 * const { shape, data } = parseIdx(readFileSync(mnistFiles('test').images));
 * console.log(shape, data.length); // -> [ 10000, 28, 28 ] 7840000
 * ```
 */
export function parseIdx(bytes: Uint8Array | ArrayBuffer): IdxArray {
  return decodeIdx(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), true);
}

/** {@link parseIdx}; with `copy` false, 8-bit values are a view of `array` (which the caller gives up). */
export function decodeIdx(array: Uint8Array, copy: boolean): IdxArray {
  const header = readIdxHeader(array, true)!;
  const { dtype, shape, headerBytes, totalBytes } = header;
  if (array.byteLength !== totalBytes) {
    const what = array.byteLength < totalBytes ? 'truncated' : 'trailing bytes';
    throw idxCorrupt(
      `expected ${totalBytes} bytes for ${dtype} values of shape [${shape.join(', ')}], found ${array.byteLength} (${what})`,
    );
  }
  const view = new DataView(array.buffer, array.byteOffset, array.byteLength);
  const count = (totalBytes - headerBytes) / header.elementBytes;
  return { dtype, shape, data: readValues(view, { offset: headerBytes, count, dtype, copy }) };
}

/**
 * Encodes an array as an IDX file (the inverse of {@link parseIdx}); handy for
 * writing fixtures and small data sets.
 *
 * @param array - The element type, dimensions and values to encode (borrowed).
 * @example
 * ```ts
 * import { encodeIdx, parseIdx } from '@vae/data';
 *
 * const bytes = encodeIdx({ dtype: 'uint8', shape: [2, 2], data: new Uint8Array([0, 255, 255, 0]) });
 * console.log(parseIdx(bytes).shape); // -> [ 2, 2 ]
 * ```
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const code = Number(Object.entries(IDX_DTYPES).find(([, t]) => t.dtype === array.dtype)![0]);
  const bytes = IDX_DTYPES[code]!.bytes;
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
