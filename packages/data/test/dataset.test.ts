import { describe, expect, it } from 'vitest';
import { fromArray, subset, VaeError } from '../src/index.js';

describe('fromArray', () => {
  it('keeps uint8 values as 8-bit storage without a copy, and the item shape', () => {
    const values = Uint8Array.from({ length: 2 * 3 * 2 * 3 }, (_, i) => i);
    const dataset = fromArray(values, [2, 3, 2, 3]);
    expect(dataset.size).toBe(2);
    expect(dataset.itemShape).toEqual([3, 2, 3]);
    expect(dataset.values).toBe(values);
    const clamped = new Uint8ClampedArray([1, 2, 3, 4]);
    const view = fromArray(clamped, [2, 2]).values;
    expect(view).toBeInstanceOf(Uint8Array);
    expect(view.buffer).toBe(clamped.buffer);
  });

  it('keeps float32 values and converts every other typed array to float32, values unchanged', () => {
    const floats = Float32Array.from([0.5, -1, 2, 3]);
    expect(fromArray(floats, [2, 2]).values).toBe(floats);
    const sources = [
      Int8Array.from([-128, 0, 5, 127]),
      Uint16Array.from([0, 1, 65_535, 7]),
      Int16Array.from([-32_768, 0, 300, 32_767]),
      Uint32Array.from([0, 1, 2 ** 24, 9]),
      Int32Array.from([-(2 ** 24), 0, 70_000, 1]),
      Float64Array.from([0.25, -1e-3, 1e10, 4]),
      [1, 2, 3, 4],
    ];
    for (const source of sources) {
      const dataset = fromArray(source, [4, 1]);
      expect(dataset.values).toBeInstanceOf(Float32Array);
      expect(Array.from(dataset.values)).toEqual(Array.from(source, (v) => Math.fround(v)));
    }
  });

  it('keeps labels, as uint8 when they fit and int32 otherwise', () => {
    expect(fromArray([1, 2], [2, 1], { labels: [3, 4] }).labels).toEqual(Uint8Array.from([3, 4]));
    expect(fromArray([1, 2], [2, 1], { labels: [3, 400] }).labels).toEqual(
      Int32Array.from([3, 400]),
    );
    const own = Int32Array.from([5, 6]);
    expect(fromArray([1, 2], [2, 1], { labels: own }).labels).toBe(own);
    expect(fromArray([1, 2], [2, 1]).labels).toBeUndefined();
  });

  it('rejects a shape that does not match, non-finite values and labels of another length', () => {
    const error = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        if (VaeError.isInstance(e)) return e;
      }
      throw new Error('expected a VaeError');
    };
    expect(error(() => fromArray([1, 2, 3], [2, 2])).message).toBe(
      'fromArray: `shape` [2, 2] needs 4 values, got 3',
    );
    expect(error(() => fromArray([1, 2], [2])).code).toBe('INVALID_ARGUMENT');
    expect(error(() => fromArray([1, 2], [2, 1.5])).message).toMatch(/positive integers/);
    expect(error(() => fromArray(Float32Array.from([1, Number.NaN]), [2, 1])).message).toBe(
      'fromArray: `values` must be finite, found NaN at index 1',
    );
    expect(error(() => fromArray([1, 2], [2, 1], { labels: [0] })).message).toMatch(
      /one label per example \(2\), got 1/,
    );
  });
});

describe('subset', () => {
  it('copies the chosen examples and labels in order, keeping the storage type', () => {
    const dataset = fromArray(Uint8Array.from([1, 2, 3, 4, 5, 6]), [3, 2], { labels: [7, 8, 9] });
    const picked = subset(dataset, [2, 0, 2]);
    expect(picked.values).toEqual(Uint8Array.from([5, 6, 1, 2, 5, 6]));
    expect(picked.labels).toEqual(Uint8Array.from([9, 7, 9]));
    expect(picked.itemShape).toEqual([2]);
    expect(picked.size).toBe(3);
    expect(() => subset(dataset, [3])).toThrow(/index 3 is outside \[0, 3\)/);
  });
});
