import type * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from '@vae/divergence';
import { expectNoLeaks } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BatchContext, createDataSource, fromArray, gaussianMixture } from '../src/index.js';

// Three 2 x 2 grey "images" of 8-bit levels 25, 153 and 230 everywhere.
const images = fromArray(
  Uint8Array.from([25, 25, 25, 25, 153, 153, 153, 153, 230, 230, 230, 230]),
  [3, 2, 2, 1],
  { labels: [0, 1, 2] },
);

/** n images of one level everywhere, `features` values each. */
function flat(n: number, features: number, level: number) {
  return fromArray(new Uint8Array(n * features).fill(level), [n, features]);
}

const context = (seed: number, step = 0): BatchContext => ({ seed, epoch: 0, step });
const read = (x: tf.Tensor) => {
  const values = Array.from(x.dataSync());
  x.dispose();
  return values;
};

describe('createDataSource', () => {
  it('returns float32 batches in the item shape, level k read as k / 255, without leaking', async () => {
    const source = createDataSource(images);
    expect(source.size).toBe(3);
    expect(source.itemShape).toEqual([2, 2, 1]);
    expect(source.features).toBe(4);
    await expectNoLeaks(() => {
      const batch = source.getBatch([2, 0]);
      expect(batch.shape).toEqual([2, 2, 2, 1]);
      expect(batch.dtype).toBe('float32');
      expect(read(batch)).toEqual(
        [230, 230, 230, 230, 25, 25, 25, 25].map((k) => Math.fround(k / 255)),
      );
    });
  });

  it('holds 8-bit data as uint8 (a quarter of float32) and makes float32 only per batch', () => {
    const many = flat(1000, 784, 128);
    expect(many.values).toBeInstanceOf(Uint8Array);
    expect(many.values.byteLength).toBe(1000 * 784);
    const batch = createDataSource(many, { shape: [28, 28, 1] }).getBatch([5, 999, 0]);
    expect(batch.shape).toEqual([3, 28, 28, 1]);
    expect(batch.dtype).toBe('float32');
    expect(new Set(read(batch))).toEqual(new Set([Math.fround(128 / 255)]));
  });

  it('reshapes batches to a requested shape of the same size, and rejects another size', () => {
    const mlp = createDataSource(images, { shape: [4] });
    expect(mlp.itemShape).toEqual([4]);
    const batch = mlp.getBatch([1]);
    expect(batch.shape).toEqual([1, 4]);
    batch.dispose();
    expect(() => createDataSource(images, { shape: [5] })).toThrow(
      /`shape` \[5\] must hold the 4 values of the item shape \[2, 2, 1\]/,
    );
    expect(() => createDataSource(images, { shape: [2, 0, 2] })).toThrow(/`shape` \[2, 0, 2\]/);
  });

  it('keeps float values as they are and serves 2-D point sets', () => {
    const points = gaussianMixture({ size: 10, seed: 1 });
    const source = createDataSource(points);
    expect(source.itemShape).toEqual([2]);
    const batch = source.getBatch([3]);
    expect(batch.shape).toEqual([1, 2]);
    expect(read(batch)).toEqual(Array.from(points.values.subarray(6, 8)));
  });

  it('thresholds statically on k / 255', () => {
    const batch = createDataSource(images, { binarize: 'static' }).getBatch([0, 1]);
    expect(read(batch)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    const low = createDataSource(images, { binarize: 'static', threshold: 0.05 }).getBatch([0]);
    expect(read(low)).toEqual([1, 1, 1, 1]); // 25 / 255 = 0.098 > 0.05
  });

  it('binarizes dynamically: the mean of 40,000 draws of p = 77/255 is p within 4 standard errors', () => {
    const p = 77 / 255;
    const source = createDataSource(flat(10, 4000, 77), { binarize: 'dynamic', seed: 3 });
    const values = read(source.getBatch([...Array(10).keys()], context(11)));
    expect(values.every((v) => v === 0 || v === 1)).toBe(true);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / values.length));
  });

  it('dequantizes level k to (k + u) / 256: inside [k, k + 1) / 256 with u of mean 1/2 (4 standard errors)', () => {
    const source = createDataSource(flat(10, 2000, 200), { dequantize: true, seed: 1 });
    const values = read(source.getBatch([...Array(10).keys()], context(0)));
    const u = values.map((v) => v * 256 - 200);
    expect(Math.min(...u)).toBeGreaterThan(-1e-4); // float32 rounding of (k + u) / 256
    expect(Math.max(...u)).toBeLessThan(1 + 1e-4);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / u.length));
    // Level 255 stays below 1 in float32.
    const top = createDataSource(flat(1, 5000, 255), { dequantize: true });
    expect(Math.max(...read(top.getBatch([0], context(2))))).toBeLessThan(1);
  });

  it('draws noise as a pure function of (context.seed, indices): history, epoch and step do not matter', () => {
    const data = flat(6, 50, 128);
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<'dynamic' | 'dequantize'>('dynamic', 'dequantize'),
        (seed, indices, kind) => {
          const options = kind === 'dynamic' ? { binarize: kind } : { dequantize: true };
          const fresh = createDataSource(data, options);
          const used = createDataSource(data, options);
          read(used.getBatch([0, 1, 2], context(seed + 1))); // an earlier batch
          read(used.getBatch([3])); // and a call without a context
          const a = read(fresh.getBatch(indices, context(seed, 0)));
          const b = read(used.getBatch(indices, { seed, epoch: 7, step: 123 }));
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('binarizes value v of example i to (u < v), u the next draw of seededUniform(seed, batchSeed, i), also at and beyond 0 and 1', () => {
    // Values at 0 and 1 skip their draw; the later ones must still get the stream's own.
    const levels = Uint8Array.from(
      { length: 3 * 40 },
      (_, j) => [0, 255, 90, 0, 0, 200, 255][j % 7]!,
    );
    const floats = Float32Array.from(
      { length: 3 * 40 },
      (_, j) => [0, 1, 0.3, -0.5, 1.5, 0.999, 0.001][j % 7]!,
    );
    for (const values of [levels, floats]) {
      const data = fromArray(values, [3, 40]);
      const expected = (index: number, seed: number, batchSeed: number) => {
        const uniform = seededUniform(seed, batchSeed, index);
        return Array.from(values.subarray(index * 40, index * 40 + 40), (value) => {
          const v = values instanceof Uint8Array ? Math.fround(value / 255) : value;
          return uniform() < v ? 1 : 0;
        });
      };
      for (const [seed, batchSeed] of [
        [0, 0],
        [3, 17],
        [0, 2 ** 31],
      ] as [number, number][]) {
        const source = createDataSource(data, { binarize: 'dynamic', seed });
        const batch = read(source.getBatch([2, 0, 1], context(batchSeed)));
        expect(batch).toEqual([2, 0, 1].flatMap((i) => expected(i, seed, batchSeed)));
      }
    }
  });

  it('gives an example the same noise wherever it sits in the batch, and other seeds other noise', () => {
    const source = createDataSource(flat(4, 64, 128), { binarize: 'dynamic' });
    const pair = read(source.getBatch([2, 3], context(0)));
    const alone = read(source.getBatch([3], context(0)));
    expect(pair.slice(64)).toEqual(alone);
    expect(pair.slice(0, 64)).not.toEqual(pair.slice(64)); // two examples, two draws
    expect(read(source.getBatch([2, 3], context(1)))).not.toEqual(pair); // seed 0 vs 1
    const otherSource = createDataSource(flat(4, 64, 128), { binarize: 'dynamic', seed: 1 });
    expect(read(otherSource.getBatch([2, 3], context(0)))).not.toEqual(pair);
  });

  it('without a context, the k-th call draws as with context seed k: a new draw per call, the same every run', () => {
    const data = flat(3, 32, 128);
    const draw = (seed: number) => {
      const source = createDataSource(data, { binarize: 'dynamic', seed });
      return [0, 1, 2].map(() => read(source.getBatch([0, 1, 2])));
    };
    const [first, second, third] = draw(5);
    expect(second).not.toEqual(first);
    expect(draw(5)).toEqual(draw(5));
    expect(draw(0)).toEqual(draw(0));
    expect(draw(0)).not.toEqual(draw(5));
    const explicit = createDataSource(data, { binarize: 'dynamic', seed: 5 });
    expect(read(explicit.getBatch([0, 1, 2], context(2)))).toEqual(third);
  });

  it('rejects an index outside the data set, bad options and dequantizing float data', () => {
    expect(() => createDataSource(images).getBatch([3])).toThrow(/index 3 is outside \[0, 3\)/);
    expect(() => createDataSource(images).getBatch([0], context(Number.NaN))).toThrow(
      /`context.seed` must be a finite number, got NaN/,
    );
    // @ts-expect-error: checking the runtime guard
    expect(() => createDataSource(images, { binarize: 'random' })).toThrow(/`binarize` must be/);
    expect(() => createDataSource(images, { dequantize: true, binarize: 'static' })).toThrow(
      /exclude each other/,
    );
    expect(() => createDataSource(gaussianMixture({ size: 3 }), { dequantize: true })).toThrow(
      /`dequantize` needs 8-bit data/,
    );
    expect(() => createDataSource({ ...images, size: 4 })).toThrow(
      /must hold size x prod\(itemShape\) = 4 x 4 values, got 12/,
    );
  });
});
