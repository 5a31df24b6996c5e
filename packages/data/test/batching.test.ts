import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchIndices, shuffledIndices } from '../src/index.js';

describe('shuffledIndices', () => {
  it('is a permutation, the same for the same seed and stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (size, seed) => {
        const order = shuffledIndices(size, { seed });
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: size }, (_, i) => i));
        expect(shuffledIndices(size, { seed })).toEqual(order);
      }),
    );
  });

  it('differs between seeds and between streams', () => {
    const a = shuffledIndices(100, { seed: 1 });
    expect(shuffledIndices(100, { seed: 2 })).not.toEqual(a);
    expect(shuffledIndices(100, { seed: 1, stream: 1 })).not.toEqual(a);
  });
});

describe('batchIndices', () => {
  it('covers every index once, in batches of batchSize and a smaller last one', () => {
    const batches = batchIndices(10, { batchSize: 4, seed: 3 });
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('keeps the natural order without a seed and drops the remainder on request', () => {
    expect(batchIndices(5, { batchSize: 2 })).toEqual([[0, 1], [2, 3], [4]]);
    expect(batchIndices(5, { batchSize: 2, dropLast: true })).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('shuffles each epoch differently and reproducibly', () => {
    const epoch0 = batchIndices(50, { batchSize: 10, seed: 7, epoch: 0 });
    expect(batchIndices(50, { batchSize: 10, seed: 7, epoch: 0 })).toEqual(epoch0);
    expect(batchIndices(50, { batchSize: 10, seed: 7, epoch: 1 })).not.toEqual(epoch0);
  });

  it('rejects a batch size of zero', () => {
    expect(() => batchIndices(5, { batchSize: 0 })).toThrow(
      /`batchSize` must be a positive integer, got 0/,
    );
  });
});
