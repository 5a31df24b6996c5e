import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx, VaeError } from '../src/index.js';

// A hand-made 2 x 3 uint8 IDX file: magic 00 00 08 02, dims 2 and 3, six values.
const VALID = new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 250, 251, 255]);

function corruptError(bytes: Uint8Array): VaeError {
  try {
    parseIdx(bytes);
  } catch (error) {
    if (VaeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('parseIdx accepted corrupt bytes');
}

describe('parseIdx', () => {
  it('reads the dtype, the dimensions and the values of a hand-made file', () => {
    const parsed = parseIdx(VALID);
    expect(parsed.dtype).toBe('uint8');
    expect(parsed.shape).toEqual([2, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 250, 251, 255]);
  });

  it('reads big-endian multi-byte values', () => {
    // int32 [2]: -2 and 258; float32 [1]: 1.5
    const ints = new Uint8Array([0, 0, 0x0c, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 2]);
    expect(Array.from(parseIdx(ints).data)).toEqual([-2, 258]);
    const floats = new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]);
    expect(Array.from(parseIdx(floats).data)).toEqual([1.5]);
  });

  it('accepts an ArrayBuffer and a view into a larger buffer', () => {
    const padded = new Uint8Array(VALID.length + 5);
    padded.set(VALID, 5);
    expect(parseIdx(padded.subarray(5)).shape).toEqual([2, 3]);
    expect(parseIdx(VALID.slice().buffer).shape).toEqual([2, 3]);
  });

  it('round-trips encodeIdx for every dtype', () => {
    for (const dtype of ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'] as const) {
      const data = {
        uint8: Uint8Array,
        int8: Int8Array,
        int16: Int16Array,
        int32: Int32Array,
        float32: Float32Array,
        float64: Float64Array,
      }[dtype].from([0, 1, 2, 3, 4, 5]);
      const parsed = parseIdx(encodeIdx({ dtype, shape: [3, 2], data }));
      expect(parsed.dtype).toBe(dtype);
      expect(parsed.shape).toEqual([3, 2]);
      expect(Array.from(parsed.data)).toEqual([0, 1, 2, 3, 4, 5]);
    }
  });

  it('rejects a wrong magic number, saying what it found', () => {
    const bytes = VALID.slice();
    bytes[0] = 0x1f;
    const error = corruptError(bytes);
    expect(error.code).toBe('DATA_CORRUPT');
    expect(error.message).toMatch(
      /expected the magic number to start with bytes 0x00 0x00, found 0x1f 0x00/,
    );
  });

  it('rejects an unknown element type', () => {
    const bytes = VALID.slice();
    bytes[2] = 0x07;
    expect(corruptError(bytes).message).toMatch(/element type .* found 0x07/);
  });

  it('rejects a truncated body with the expected and found lengths', () => {
    const error = corruptError(VALID.subarray(0, VALID.length - 2));
    expect(error.code).toBe('DATA_CORRUPT');
    expect(error.message).toContain(
      'expected 18 bytes for uint8 values of shape [2, 3], found 16 (truncated)',
    );
  });

  it('rejects a truncated header and an empty file', () => {
    expect(corruptError(VALID.subarray(0, 9)).message).toMatch(/12-byte header .* found 9 bytes/);
    expect(corruptError(new Uint8Array(0)).message).toMatch(/found a file of 0 bytes/);
  });

  it('rejects trailing bytes', () => {
    const bytes = new Uint8Array(VALID.length + 1);
    bytes.set(VALID);
    expect(corruptError(bytes).message).toMatch(/found 19 \(trailing bytes\)/);
  });
});
