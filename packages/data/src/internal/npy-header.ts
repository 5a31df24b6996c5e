import { formatShape, VaeError } from '@vae/divergence';

/** The element types {@link parseNpy} reads, by NumPy's kind and size (`'i2'`, `'f4'`, ...). */
export const NPY_DTYPES = {
  u1: 'uint8',
  i1: 'int8',
  u2: 'uint16',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  f4: 'float32',
  f8: 'float64',
} as const;

/** An element type {@link parseNpy} reads: `'uint8'`, `'int8'`, `'uint16'`, `'int16'`, `'int32'`, `'int64'`, `'float32'` or `'float64'`. */
export type NpyDtype = (typeof NPY_DTYPES)[keyof typeof NPY_DTYPES];

/** The most bytes a `.npy` header may take (NumPy writes well under 1 KiB). */
export const MAX_NPY_HEADER_BYTES = 65_536;

/** What a `.npy` header says. */
export interface NpyHeader {
  dtype: NpyDtype;
  elementBytes: number;
  littleEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  /** Where the values start: magic, version, length field and header. */
  dataOffset: number;
  /** Bytes of the values (`prod(shape) * elementBytes`; may exceed 2^53 for a forged header). */
  dataBytes: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function npyCorrupt(name: string, message: string): VaeError {
  return new VaeError('DATA_CORRUPT', `${name}: ${message}`);
}

/**
 * Bytes before the header text (magic, version, length field) and the header's length,
 * from the first 12 bytes of a file; the length is bounded by {@link MAX_NPY_HEADER_BYTES}
 * before anything reads or allocates the header.
 */
export function npyPreamble(bytes: Uint8Array, name: string): { start: number; length: number } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const found = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0'));
    throw npyCorrupt(
      name,
      `expected a .npy file starting with \\x93NUMPY, found ${bytes.length < 10 ? `${bytes.length} bytes` : `bytes ${found.join(' ')}`}`,
    );
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) {
    throw npyCorrupt(name, `expected .npy format version 1, 2 or 3, found ${major}.${bytes[7]}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major > 1 && bytes.length < 12) {
    throw npyCorrupt(name, `expected a 12-byte preamble, found ${bytes.length} bytes (truncated)`);
  }
  const start = major === 1 ? 10 : 12;
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (length > MAX_NPY_HEADER_BYTES) {
    throw npyCorrupt(
      name,
      `the header length field says ${length} bytes, more than the ${MAX_NPY_HEADER_BYTES} allowed`,
    );
  }
  return { start, length };
}

function field(text: string, entry: { key: string; pattern: string }, name: string): string {
  const { key, pattern } = entry;
  const match = text.match(new RegExp(`['"]${key}['"]\\s*:\\s*${pattern}`));
  if (match === null) {
    throw npyCorrupt(
      name,
      `expected a '${key}' entry in the header, found ${JSON.stringify(text.trim())}`,
    );
  }
  return match[1]!;
}

function parseDescr(descr: string, name: string) {
  const match = descr.match(/^([<>|=])([uif])(\d+)$/);
  const key = match && (`${match[2]}${match[3]}` as keyof typeof NPY_DTYPES);
  if (match === null || !(key! in NPY_DTYPES)) {
    throw npyCorrupt(
      name,
      `unsupported dtype '${descr}'; expected one of uint8, int8, uint16, int16, int32, int64, float32 or float64 ('|u1', '<i2', '>f4', ...)`,
    );
  }
  const elementBytes = Number(match[3]);
  // '=' is the writer's native order; every platform NumPy and browsers run on today is little-endian.
  return { dtype: NPY_DTYPES[key!], elementBytes, littleEndian: match[1] !== '>' };
}

function parseShape(text: string, name: string): number[] {
  const inner = text.trim();
  if (inner === '') return [];
  const parts = inner
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return parts.map((part) => {
    const dim = /^\d+L?$/.test(part) ? Number.parseInt(part, 10) : Number.NaN;
    if (!Number.isSafeInteger(dim)) {
      throw npyCorrupt(
        name,
        `expected non-negative integer dimensions in 'shape', found (${inner})`,
      );
    }
    return dim;
  });
}

/** Parses the header text that follows the preamble. */
export function parseNpyHeader(
  text: string,
  layout: { dataOffset: number; name: string },
): NpyHeader {
  const { name, dataOffset } = layout;
  if (/'descr'\s*:\s*\[/.test(text)) {
    throw npyCorrupt(name, 'unsupported dtype: structured arrays (a list of fields) are not read');
  }
  const descr = field(text, { key: 'descr', pattern: `['"]([^'"]*)['"]` }, name);
  const fortran = field(text, { key: 'fortran_order', pattern: '(True|False)' }, name) === 'True';
  const shape = parseShape(field(text, { key: 'shape', pattern: '\\(([^)]*)\\)' }, name), name);
  const { dtype, elementBytes, littleEndian } = parseDescr(descr, name);
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0)
    throw npyCorrupt(name, `expected an array, found a scalar (shape ${formatShape(shape)})`);
  return {
    dtype,
    elementBytes,
    littleEndian,
    fortranOrder: fortran,
    shape,
    dataOffset,
    dataBytes: count * elementBytes,
  };
}
