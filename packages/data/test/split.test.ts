import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, split, splitIndices } from '../src/index.js';

describe('splitIndices', () => {
  it('is disjoint, covers every index once, sorts each part and has round(fraction * size) test indices', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 400 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        (size, testFraction, seed) => {
          const expected = Math.round(testFraction * size);
          fc.pre(expected >= 1 && expected <= size - 1);
          const { train, test } = splitIndices(size, { testFraction, seed });
          expect(test.length).toBe(expected);
          expect([...train, ...test].sort((a, b) => a - b)).toEqual([...Array(size).keys()]);
          expect(train).toEqual([...train].sort((a, b) => a - b));
          expect(test).toEqual([...test].sort((a, b) => a - b));
          expect(splitIndices(size, { testFraction, seed })).toEqual({ train, test });
        },
      ),
    );
  });

  it('takes seed 0 as a seed: the same split every time, another than seed 1', () => {
    const zero = splitIndices(1000, { testFraction: 0.1, seed: 0 });
    expect(splitIndices(1000, { testFraction: 0.1, seed: 0 })).toEqual(zero);
    expect(splitIndices(1000, { testFraction: 0.1, seed: 1 }).test).not.toEqual(zero.test);
    // Not the first or last 100: a shuffle, not a cut.
    expect(zero.test).not.toEqual([...Array(100).keys()]);
  });

  it('rejects fractions outside (0, 1), parts left empty and a missing seed', () => {
    expect(() => splitIndices(10, { testFraction: 1, seed: 0 })).toThrow(
      /`testFraction` must be in \(0, 1\), got 1/,
    );
    expect(() => splitIndices(10, { testFraction: 0.01, seed: 0 })).toThrow(
      /leaves 0 test and 10 training examples; each part needs at least one/,
    );
    expect(() => splitIndices(10, { testFraction: 0.5, seed: Number.NaN })).toThrow(
      /`seed` must be a finite number, got NaN/,
    );
    // @ts-expect-error: checking the runtime guard
    expect(() => splitIndices(10, { testFraction: 0.5 })).toThrow(/`seed` is required/);
  });
});

describe('split', () => {
  it('splits values and labels alike, keeping the item shape and 8-bit storage', () => {
    // Example i holds the bytes [i, i] and the label i.
    const size = 50;
    const dataset = fromArray(
      Uint8Array.from({ length: size * 2 }, (_, j) => Math.floor(j / 2)),
      [size, 2, 1, 1],
      { labels: [...Array(size).keys()] },
    );
    const { train, test } = split(dataset, { testFraction: 0.2, seed: 0 });
    const { train: trainIndices, test: testIndices } = splitIndices(size, {
      testFraction: 0.2,
      seed: 0,
    });
    expect(train.size + test.size).toBe(size);
    expect(test.size).toBe(10);
    expect(train.itemShape).toEqual([2, 1, 1]);
    expect(test.values).toBeInstanceOf(Uint8Array);
    expect(Array.from(test.labels!)).toEqual(testIndices);
    expect(Array.from(train.labels!)).toEqual(trainIndices);
    expect(Array.from(test.values)).toEqual(testIndices.flatMap((i) => [i, i]));
  });
});
