import { describe, expect, it } from 'vitest';
import {
  createDataSource,
  fromArray,
  MAX_NPY_HEADER_BYTES,
  parseNpy,
  VaeError,
} from '../src/index.js';
import { type Descr, headerText, npyFile, preamble } from './npy-bytes.js';

function corruptError(run: () => unknown): VaeError {
  try {
    run();
  } catch (error) {
    if (VaeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('accepted corrupt bytes');
}

const range = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => i + offset);

describe('parseNpy', () => {
  const cases: [Descr, string, number][] = [
    ['|u1', 'uint8', 0],
    ['|i1', 'int8', -5],
    ['<u2', 'uint16', 60_000],
    ['>u2', 'uint16', 1],
    ['<i2', 'int16', -300],
    ['>i2', 'int16', -300],
    ['<i4', 'int32', -70_000],
    ['>i4', 'int32', 2 ** 30],
    ['<i8', 'int64', -(2 ** 40)],
    ['>i8', 'int64', 2 ** 50],
    ['<f4', 'float32', -2.5],
    ['>f4', 'float32', 0.25],
    ['<f8', 'float64', 1e-300],
    ['>f8', 'float64', -1e300],
  ];

  it.each(cases)('reads %s as %s, in C order, with the shape kept', (descr, dtype, offset) => {
    const values = range(12, offset);
    const parsed = parseNpy(npyFile(descr, [3, 2, 2], { values }));
    expect(parsed.dtype).toBe(dtype);
    expect(parsed.shape).toEqual([3, 2, 2]);
    expect(Array.from(parsed.data)).toEqual(
      values.map((v) => (dtype === 'float32' ? Math.fround(v) : v)),
    );
  });

  it.each(cases)('transposes Fortran-order %s to C order', (descr) => {
    // Shape [2, 3, 2]: C order puts element (i, j, k) at 6 i + 2 j + k; Fortran order
    // writes i fastest. Values are that C position (minus 6 for signed types).
    const base = descr.includes('u') ? 0 : -6;
    const fortranValues: number[] = [];
    for (let k = 0; k < 2; k++) {
      for (let j = 0; j < 3; j++) {
        for (let i = 0; i < 2; i++) fortranValues.push(base + 6 * i + 2 * j + k);
      }
    }
    const parsed = parseNpy(npyFile(descr, [2, 3, 2], { values: fortranValues, fortran: true }));
    expect(parsed.shape).toEqual([2, 3, 2]);
    expect(Array.from(parsed.data)).toEqual(range(12, base));
  });

  it('reads format version 2 and a 1-D array', () => {
    const parsed = parseNpy(npyFile('<f4', [3], { values: [1, 2, 3], version: 2 }));
    expect(parsed.shape).toEqual([3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3]);
  });

  it('gives fromArray a uint8 data set that stays 8-bit and batches as k / 255', () => {
    const { data, shape } = parseNpy(
      npyFile('|u1', [2, 2, 2, 1], { values: [0, 51, 102, 255, 1, 2, 3, 4] }),
    );
    const dataset = fromArray(data, shape);
    expect(dataset.values).toBeInstanceOf(Uint8Array);
    expect(dataset.itemShape).toEqual([2, 2, 1]);
    const batch = createDataSource(dataset).getBatch([0]);
    expect(Array.from(batch.dataSync())).toEqual([0, 0.2, 0.4, 1].map(Math.fround));
    batch.dispose();
  });

  it('rejects an unsupported dtype, naming it and the supported ones', () => {
    for (const descr of ['<f2', '<c8', '|b1', '|O', '<U3', '<u4']) {
      const bytes = new Uint8Array([...preamble(headerText(descr, [2])), 0, 0, 0, 0, 0, 0, 0, 0]);
      const error = corruptError(() => parseNpy(bytes, { name: 'x.npy' }));
      expect(error.code).toBe('DATA_CORRUPT');
      expect(error.message).toContain(
        `x.npy: unsupported dtype '${descr}'; expected one of uint8, int8`,
      );
    }
    const structured = preamble(
      "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
    );
    expect(corruptError(() => parseNpy(structured)).message).toMatch(/structured arrays/);
  });

  it('rejects a truncated body and trailing bytes with the expected and found lengths', () => {
    const bytes = npyFile('<i4', [2, 3], { values: range(6) });
    const short = corruptError(() => parseNpy(bytes.subarray(0, bytes.length - 3)));
    expect(short.code).toBe('DATA_CORRUPT');
    expect(short.message).toBe(
      'parseNpy: expected 24 bytes of int32 values of shape [2, 3] after the header, found 21 (truncated)',
    );
    const long = new Uint8Array(bytes.length + 1);
    long.set(bytes);
    expect(corruptError(() => parseNpy(long)).message).toMatch(/found 25 \(trailing bytes\)/);
    expect(corruptError(() => parseNpy(bytes.subarray(0, 40))).message).toMatch(
      /expected a 118-byte header, found 30 bytes \(truncated\)/,
    );
  });

  it('rejects a wrong magic number and an unknown version', () => {
    expect(corruptError(() => parseNpy(new Uint8Array([1, 2, 3]))).message).toMatch(
      /starting with \\x93NUMPY, found 3 bytes/,
    );
    const bytes = npyFile('|u1', [1, 1], { values: [7] });
    bytes[6] = 4;
    expect(corruptError(() => parseNpy(bytes)).message).toMatch(/version 1, 2 or 3, found 4\.0/);
  });

  it('checks sizes read from the header against stated bounds before allocating', () => {
    // A version-2 header length field of 2^32 - 1 bytes: rejected on the field itself.
    const huge = preamble(headerText('<f4', [1]), 2);
    new DataView(huge.buffer).setUint32(8, 2 ** 32 - 1, true);
    expect(corruptError(() => parseNpy(huge)).message).toBe(
      `parseNpy: the header length field says 4294967295 bytes, more than the ${MAX_NPY_HEADER_BYTES} allowed`,
    );
    // A shape announcing 8 * 10^12 bytes of float64 in a 128-byte file: rejected on maxBytes.
    const forged = preamble(headerText('<f8', [1_000_000, 1_000_000]));
    expect(corruptError(() => parseNpy(forged)).message).toMatch(
      /announces float64 values of shape \[1000000, 1000000\], 8000000000000 bytes, more than maxBytes = 1073741824/,
    );
    const small = npyFile('<f4', [4, 4], { values: range(16) });
    expect(corruptError(() => parseNpy(small, { maxBytes: 63 })).message).toMatch(
      /64 bytes, more than maxBytes = 63/,
    );
    expect(parseNpy(small, { maxBytes: 64 }).shape).toEqual([4, 4]);
  });

  it('rejects an int64 beyond 2^53 and a malformed shape', () => {
    const bytes = npyFile('<i8', [1], { values: [0] });
    new DataView(bytes.buffer).setBigInt64(bytes.length - 8, 2n ** 60n, true);
    expect(corruptError(() => parseNpy(bytes)).message).toMatch(
      /int64 value 1152921504606846976 at index 0 is beyond 2\^53/,
    );
    const bad = preamble("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }");
    expect(corruptError(() => parseNpy(bad)).message).toMatch(
      /non-negative integer dimensions .* \(2, -1\)/,
    );
  });
});
