import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { MultivariateNormal, VaeError } from '../src/index.js';

/** Float64 mean and ML covariance (divided by n) of row-major rows. */
function moments64(rows: Float32Array, shape: { n: number; d: number }) {
  const { n, d } = shape;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j]! += rows[r * d + j]! / n;
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      const a = rows[r * d + i]! - mean[i]!;
      for (let j = 0; j < d; j++) cov[i * d + j]! += (a * (rows[r * d + j]! - mean[j]!)) / n;
    }
  }
  return { mean, cov };
}

function imagesLike(shape: { n: number; d: number }, seed: number): Float32Array {
  // Pixel-like data in [0, 1] with correlated neighbours and a large common mean.
  const values = tf.tidy(() => {
    const base = tf.randomUniform([shape.n, shape.d + 2], 0, 1, 'float32', seed);
    const smooth = tf.add(
      tf.slice(base, [0, 0], [shape.n, shape.d]),
      tf.slice(base, [0, 2], [shape.n, shape.d]),
    );
    return tf.add(tf.mul(smooth, 0.2), 0.5);
  });
  const data = values.dataSync() as Float32Array;
  values.dispose();
  return Float32Array.from(data);
}

describe('MultivariateNormal.fit', () => {
  it('gives the sample mean and ML covariance, batch by batch (uneven last batch)', async () => {
    const shape = { n: 403, d: 40 };
    const rows = imagesLike(shape, 1);
    const { mean, cov } = moments64(rows, shape);
    const data = tf.tensor2d(rows, [shape.n, shape.d]);
    await expectNoLeaks(() => {
      const fitted = MultivariateNormal.fit(data, { batchSize: 50, blockSize: 16 });
      const loc = fitted.mean();
      const covariance = fitted.covarianceMatrix();
      expectClose(loc, Array.from(mean), { rtol: 1e-5, atol: 1e-6 });
      expectClose(covariance, Array.from(cov), { rtol: 1e-3, atol: 2e-6 });
      fitted.dispose();
      return [loc, covariance];
    });
    data.dispose();
  });

  it('takes host images ({ images, size }) and shrinks toward the diagonal', async () => {
    const shape = { n: 60, d: 30 };
    const images = imagesLike(shape, 2);
    const { cov } = moments64(images, shape);
    const lambda = 0.25;
    const shrunk = Array.from(cov, (v, k) => (k % (shape.d + 1) === 0 ? v : (1 - lambda) * v));
    await expectNoLeaks(() => {
      const fitted = MultivariateNormal.fit({ images, size: shape.n }, { shrinkage: lambda });
      const covariance = fitted.covarianceMatrix();
      expectClose(covariance, shrunk, { rtol: 1e-3, atol: 2e-6 });
      fitted.dispose();
      return covariance;
    });
  });

  it('needs shrinkage when there are fewer rows than dimensions', async () => {
    const shape = { n: 20, d: 50 };
    const images = imagesLike(shape, 3);
    await expectNoLeaks(() => {
      let error: unknown;
      try {
        MultivariateNormal.fit({ images, size: shape.n });
      } catch (caught) {
        error = caught;
      }
      expect(VaeError.isInstance(error) && error.code).toBe('NOT_POSITIVE_DEFINITE');
      expect((error as Error).message).toMatch(/MultivariateNormal\.fit: .*shrinkage/);
      const fitted = MultivariateNormal.fit({ images, size: shape.n }, { shrinkage: 0.1 });
      const rows = tf.tensor2d(images.subarray(0, 2 * shape.d), [2, shape.d]);
      const logProb = fitted.logProb(rows);
      rows.dispose();
      for (const value of logProb.dataSync()) expect(Number.isFinite(value)).toBe(true);
      fitted.dispose();
      return logProb;
    });
  });

  it('the fit maximizes the average log-likelihood (perturbing the mean lowers it)', () => {
    const shape = { n: 200, d: 10 };
    const images = imagesLike(shape, 4);
    const data = tf.tensor2d(images, [shape.n, shape.d]);
    const fitted = MultivariateNormal.fit(data);
    const shifted = new MultivariateNormal({
      loc: tf.add(fitted.loc, 0.01),
      scaleTril: fitted.scaleTril,
    });
    const [best, worse] = tf.tidy(() => [
      tf.mean(fitted.logProb(data)).dataSync()[0]!,
      tf.mean(shifted.logProb(data)).dataSync()[0]!,
    ]);
    expect(best).toBeGreaterThan(worse!);
    shifted.dispose();
    fitted.dispose();
    data.dispose();
  });

  it('rejects bad options and data', () => {
    const data = tf.zeros([4, 2]);
    expect(() => MultivariateNormal.fit(data, { shrinkage: 2 })).toThrow(/shrinkage.*\[0, 1\]/);
    expect(() => MultivariateNormal.fit(data, { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => MultivariateNormal.fit(tf.zeros([4]))).toThrow(/\[n, d\]/);
    expect(() => MultivariateNormal.fit({ images: new Float32Array(7), size: 2 })).toThrow(/size/);
    data.dispose();
  });
});
