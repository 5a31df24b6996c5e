import type * as tf from '@tensorflow/tfjs-core';
import { createDataSource } from '@vae/data';
import { seededUniform } from '@vae/divergence';
import { CliError } from '../internal/errors.js';
import type { DataSpec } from '../internal/run-config.js';
import { type RunData, testSource } from '../internal/run-data.js';

/** The most values per example a full covariance is fitted for (4096^2 floats = 64 MB). */
export const MAX_GAUSSIAN_DIMENSION = 4096;

/**
 * Data for the Gaussian: values `[n, d]` row-major and how they are dequantized.
 * Discrete data has `levels` K (2 for binarized MNIST, 256 for 8-bit images): its
 * values are the integers 0..K-1; float data has no levels and is used as it is.
 */
export interface GaussianData {
  values: Float32Array;
  n: number;
  d: number;
  levels: number | undefined;
  itemShape: number[];
}

const BATCH = 512;

/** Every example of a source, as host float32 rows. */
function allRows(source: {
  size: number;
  getBatch(indices: readonly number[]): tf.Tensor;
}): Float32Array {
  const d = source.getBatch([0]);
  const width = d.size;
  d.dispose();
  const out = new Float32Array(source.size * width);
  for (let start = 0; start < source.size; start += BATCH) {
    const indices = Array.from(
      { length: Math.min(BATCH, source.size - start) },
      (_, i) => start + i,
    );
    const x = source.getBatch(indices);
    out.set(x.dataSync(), start * width);
    x.dispose();
  }
  return out;
}

/**
 * Binarized MNIST: the training images drawn once with `seed + 1`, the test images
 * exactly the fixed binarization `vae eval` scores. Other 8-bit data: the levels k.
 * Float data: the values.
 */
export function gaussianData(spec: DataSpec, data: RunData, seed: number) {
  const d = data.itemShape.reduce((a, b) => a * b, 1);
  if (d > MAX_GAUSSIAN_DIMENSION) {
    throw new CliError(
      `gaussian: examples have D = ${d} values; a full covariance is fitted for at most ${MAX_GAUSSIAN_DIMENSION} (use --side to make images smaller)`,
    );
  }
  const make = (values: Float32Array, levels: number | undefined): GaussianData => ({
    values,
    n: values.length / d,
    d,
    levels,
    itemShape: data.itemShape,
  });
  if (spec.source === 'mnist') {
    const shape = { itemShape: data.itemShape, likelihood: 'bernoulli' as const };
    const train = createDataSource(data.train, { binarize: 'dynamic', seed: seed + 1, shape: [d] });
    const fixed = (indices: readonly number[]) =>
      train.getBatch(indices, { seed, epoch: 0, step: 0 });
    return {
      train: make(allRows({ size: train.size, getBatch: fixed }), 2),
      test: make(allRows(testSource(data, shape)), 2),
    };
  }
  if (data.eightBit) {
    const levels = (values: Uint8Array | Float32Array) => Float32Array.from(values);
    return {
      train: make(levels(data.train.values), 256),
      test: make(levels(data.test.values), 256),
    };
  }
  return {
    train: make(Float32Array.from(data.train.values), undefined),
    test: make(Float32Array.from(data.test.values), undefined),
  };
}

/**
 * y = (x + u) / K with u ~ U[0, 1) drawn from `seededUniform(seed, stream)` for
 * discrete data; float data unchanged. Rows `[start, end)`.
 */
export function dequantize(
  data: GaussianData,
  options: { seed: number; stream: number; range?: [number, number] },
): Float32Array {
  const [start, end] = options.range ?? [0, data.n];
  const out = data.values.slice(start * data.d, end * data.d);
  if (data.levels === undefined) return out;
  const uniform = seededUniform(options.seed, options.stream);
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! + uniform()) / data.levels;
  return out;
}
