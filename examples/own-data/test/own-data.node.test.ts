import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadImageFolder } from '@vae/data/node';
import { decodePng } from '@vae/viz/node';
import { describe, expect, it } from 'vitest';
import { writeShapeImages } from '../src/shapes.js';
import { runTutorial } from '../src/tutorial.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'own-data-'));

describe('your own images, end to end', () => {
  it('writes a seeded folder of PNG pictures that loadImageFolder reads as 8-bit [n, 16, 16, 3]', async () => {
    const [a, b, c] = [scratch(), scratch(), scratch()];
    expect(writeShapeImages(a, { count: 12, seed: 0 })).toHaveLength(12);
    writeShapeImages(b, { count: 12, seed: 0 });
    writeShapeImages(c, { count: 12, seed: 1 });
    expect(readdirSync(a).sort()[0]).toBe('shape-000.png');
    const [first, again, other] = await Promise.all([a, b, c].map((d) => loadImageFolder(d)));
    expect(first!.size).toBe(12);
    expect(first!.itemShape).toEqual([16, 16, 3]);
    expect(first!.values).toBeInstanceOf(Uint8Array);
    // The same seed writes the same pixels (seed 0 included); another seed other pictures.
    expect(again!.values).toEqual(first!.values);
    expect(other!.values).not.toEqual(first!.values);
  });

  it('trains a conv VAE on the folder: the test ELBO improves and the PNG has its size', async () => {
    const before = tf.memory().numTensors;
    const folder = join(scratch(), 'images');
    writeShapeImages(folder, { count: 200, seed: 0 });
    const out = join(scratch(), 'own-data.png');
    // 20 epochs of 160 images in batches of 32: 100 Adam steps (the tutorial takes 500).
    const result = await runTutorial({ folder, out, epochs: 20, seed: 0 });
    expect([result.trainSize, result.testSize, result.steps]).toEqual([160, 40, 100]);
    expect(result.imageShape).toEqual([16, 16, 3]);
    // bits/dim and nats describe the same bound: -nats / (768 ln 2).
    expect(result.after.bitsPerDim).toBeCloseTo(-result.after.nats / (768 * Math.LN2), 3);
    // Untrained, the unit-variance Gaussian costs more than 9 bits per value (worse than
    // uniform's 8); 100 steps take off more than 0.25 of it (0.39 when measured).
    expect(result.before.bitsPerDim).toBeGreaterThan(9);
    expect(result.after.bitsPerDim).toBeLessThan(result.before.bitsPerDim - 0.25);
    const png = decodePng(readFileSync(out));
    expect([png.width, png.height]).toEqual([result.picture.width, result.picture.height]);
    // The grid: 8 columns and 3 rows of 64-pixel cells (16 pixels x 4) and 2-pixel padding,
    // 2 + 8 * 66 = 530 by 2 + 3 * 66 = 200; left of it the longest row label, RECONSTRUCTION
    // (14 glyphs of 6 pixels less 1, and 4 on each side: 91); above it the title (7 + 2 * 4).
    expect([png.width, png.height]).toEqual([530 + 91, 200 + 15]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
