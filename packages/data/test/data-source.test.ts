import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { createDataSource, gaussianMixture, type ImageDataset } from '../src/index.js';

// Three 2 x 2 "images": 0.1, 0.6 and 0.9 everywhere.
const images: ImageDataset = {
  images: Float32Array.from([0.1, 0.1, 0.1, 0.1, 0.6, 0.6, 0.6, 0.6, 0.9, 0.9, 0.9, 0.9]),
  labels: Uint8Array.from([0, 1, 2]),
  size: 3,
  imageShape: [2, 2, 1],
};

describe('createDataSource', () => {
  it('gathers rows by index into a [n, features] tensor without leaking', async () => {
    const source = createDataSource(images);
    expect(source.size).toBe(3);
    expect(source.features).toBe(4);
    await expectNoLeaks(() => {
      const batch = source.getBatch([2, 0]);
      expect(batch.shape).toEqual([2, 4]);
      expect(Array.from(batch.dataSync())).toEqual(
        [0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1].map((v) => Math.fround(v)),
      );
      batch.dispose();
    });
  });

  it('thresholds statically', () => {
    const batch = createDataSource(images, { binarize: 'static' }).getBatch([0, 1]);
    expect(Array.from(batch.dataSync())).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    batch.dispose();
  });

  it('draws a fresh binary batch per call, reproducibly by seed', () => {
    const big: ImageDataset = { ...images, images: new Float32Array(4 * 3).fill(0.5) };
    const draw = (seed: number) => {
      const source = createDataSource(big, { binarize: 'dynamic', seed });
      return [0, 1, 2].map(() => tf.tidy(() => Array.from(source.getBatch([0, 1, 2]).dataSync())));
    };
    const [first, second] = draw(5);
    expect(first!.every((v) => v === 0 || v === 1)).toBe(true);
    expect(second).not.toEqual(first); // a new draw per batch
    expect(draw(5)).toEqual(draw(5)); // same seed, same sequence
    expect(draw(6)).not.toEqual(draw(5));
  });

  it('serves 2-D point sets too', () => {
    const points = gaussianMixture({ size: 10, seed: 1 });
    const source = createDataSource(points);
    expect(source.features).toBe(2);
    const batch = source.getBatch([3]);
    expect(Array.from(batch.dataSync())).toEqual(Array.from(points.points.subarray(6, 8)));
    batch.dispose();
  });

  it('rejects an index outside the data set', () => {
    expect(() => createDataSource(images).getBatch([3])).toThrow(/index 3 is outside \[0, 3\)/);
  });

  it('rejects an unknown binarization', () => {
    // @ts-expect-error: checking the runtime guard
    expect(() => createDataSource(images, { binarize: 'random' })).toThrow(/`binarize` must be/);
  });
});
