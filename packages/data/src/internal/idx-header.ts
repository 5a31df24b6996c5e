import { VaeError } from '@vae/divergence';
import type { IdxDtype } from '../parse-idx.js';

/** The element types of IDX files by their type byte, with their sizes. */
export const IDX_DTYPES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};

/** What an IDX header says: the element type, the shape and the exact file size. */
export interface IdxHeader {
  dtype: IdxDtype;
  elementBytes: number;
  shape: number[];
  headerBytes: number;
  /** Header plus values: the only valid length of the file (may exceed 2^53 for a forged header). */
  totalBytes: number;
}

export function idxCorrupt(message: string): VaeError {
  return new VaeError('DATA_CORRUPT', `parseIdx: ${message}`);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

/**
 * Reads the header at the start of `bytes` (the first bytes of a file suffice).
 * Returns `undefined` while more bytes are needed to finish it; throws
 * `VaeError('DATA_CORRUPT')` as soon as the bytes cannot start an IDX file.
 */
export function readIdxHeader(bytes: Uint8Array, complete: boolean): IdxHeader | undefined {
  if (bytes.length < 4) {
    if (!complete) return undefined;
    throw idxCorrupt(`expected a 4-byte magic number, found a file of ${bytes.length} bytes`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw idxCorrupt(
      `expected the magic number to start with bytes 0x00 0x00, found ${hex(bytes[0]!)} ${hex(bytes[1]!)} (not an IDX file)`,
    );
  }
  const type = IDX_DTYPES[bytes[2]!];
  if (type === undefined) {
    throw idxCorrupt(
      `expected an element type byte of 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e, found ${hex(bytes[2]!)}`,
    );
  }
  const rank = bytes[3]!;
  if (rank === 0) throw idxCorrupt('expected at least one dimension, found 0');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    if (!complete) return undefined;
    throw idxCorrupt(
      `expected a ${headerBytes}-byte header for ${rank} dimensions, found ${bytes.length} bytes (truncated)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  return {
    dtype: type.dtype,
    elementBytes: type.bytes,
    shape,
    headerBytes,
    totalBytes: headerBytes + count * type.bytes,
  };
}
