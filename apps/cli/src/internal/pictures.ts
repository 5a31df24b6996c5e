// The pictures the CLI writes, every one labelled: samples, inputs beside their
// reconstructions, latent traversals and manifolds with their axes, and the loss
// curves. Tensors passed in are not disposed.
import * as tf from '@tensorflow/tfjs-core';
import type { VAE } from '@vae/nn';
import { labeledGrid, linePlot, type PlotSeries, type RgbaImage } from '@vae/viz';
import type { EpochMetrics } from './run-folder.js';
import { decodeMeans, encodeMeans, reconstructMeans, sampleMeans } from './scoring.js';

/** How to draw one example: [h, w, c] images as they are, a square [d] as grey; else nothing. */
export function pictureShape(itemShape: readonly number[]): [number, number, number] | undefined {
  if (itemShape.length === 3 && [1, 3, 4].includes(itemShape[2]!)) {
    return [itemShape[0]!, itemShape[1]!, itemShape[2]!];
  }
  const values = itemShape.reduce((a, b) => a * b, 1);
  const side = Math.round(Math.sqrt(values));
  return side * side === values ? [side, side, 1] : undefined;
}

/** Magnification so that an image is about 56 pixels tall. */
function scaleFor(shape: readonly number[]): number {
  return Math.min(8, Math.max(1, Math.round(56 / shape[0]!)));
}

/** A grid of images [n, ...] (disposed here) with labels. */
function grid(
  images: tf.Tensor,
  shape: [number, number, number],
  options: {
    columns: number;
    title: string;
    rowLabels?: readonly string[];
    columnLabels?: readonly string[];
  },
): RgbaImage {
  try {
    return labeledGrid(tf.reshape(images, [images.shape[0]!, ...shape]), {
      ...options,
      scale: scaleFor(shape),
    });
  } finally {
    images.dispose();
  }
}

/** `n` samples: E[x | z] for z drawn from the prior with `seed`. */
export function samplesPicture(
  model: VAE,
  options: { n: number; seed: number; shape: [number, number, number] },
): RgbaImage {
  const columns = Math.ceil(Math.sqrt(options.n));
  return grid(sampleMeans(model, options.n, options.seed), options.shape, {
    columns,
    title: `${options.n} samples: decoded means of z drawn from the prior, seed ${options.seed}`,
  });
}

/** Rows of test inputs, each followed by the row of their reconstructions E[x | z = mean of q(z | x)]. */
export function reconstructionsPicture(
  model: VAE,
  x: tf.Tensor,
  options: { columns: number; shape: [number, number, number] },
): RgbaImage {
  // Whole rows only, so every input row sits right above its reconstructions.
  const columns = Math.min(options.columns, x.shape[0]!);
  const n = x.shape[0]! - (x.shape[0]! % columns);
  const reconstructions = reconstructMeans(model, x);
  const rows: string[] = [];
  const interleaved = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += columns) {
      const size = Math.min(columns, n - start);
      const take = (t: tf.Tensor) => tf.slice(t, [start], [size]);
      parts.push(take(x), take(reconstructions));
      rows.push('input', 'recon');
    }
    return tf.concat(parts, 0);
  });
  reconstructions.dispose();
  return grid(interleaved, options.shape, {
    columns,
    title: 'test images (input) and their reconstructions (recon)',
    rowLabels: rows,
  });
}

/** The axis values of a sweep from -3 to 3 in `steps` steps. */
function sweep(steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => (steps === 1 ? 0 : -3 + (6 * i) / (steps - 1)));
}

const label = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/**
 * From a latent code (the code of test example 0, or the prior's centre z = 0),
 * each of the first 10 latent dimensions swept from -3 to 3, one row each.
 */
export function traversalPicture(
  model: VAE,
  from: { x: tf.Tensor } | { code: number[]; name: string },
  options: { steps: number; shape: [number, number, number] },
): RgbaImage {
  let start: number[];
  if ('x' in from) {
    const code = encodeMeans(model, from.x);
    start = Array.from(code.dataSync());
    code.dispose();
  } else {
    start = from.code;
  }
  const dims = Math.min(model.latentDim, 10);
  const values = sweep(options.steps);
  const z: number[][] = [];
  for (let d = 0; d < dims; d++) {
    for (const value of values) {
      const point = [...start];
      point[d] = value;
      z.push(point);
    }
  }
  const latent = tf.tensor2d(z, [dims * values.length, model.latentDim]);
  const images = decodeMeans(model, latent);
  latent.dispose();
  const origin = 'x' in from ? 'the code of test image 0' : from.name;
  return grid(images, options.shape, {
    columns: values.length,
    title: `latent traversal from ${origin}: row zN sweeps latent N over the column values`,
    rowLabels: Array.from({ length: dims }, (_, d) => `z${d + 1}`),
    columnLabels: values.map(label),
  });
}

/** Decodes a size x size grid over z in [-3, 3]^2 (columns: z1 from -3 to 3; rows: z2 from 3 down to -3). */
export function manifoldPicture(
  model: VAE,
  options: { size: number; shape: [number, number, number] },
): RgbaImage {
  const values = sweep(options.size);
  const z = values.flatMap((_, row) => values.map((z1) => [z1, values[options.size - 1 - row]!]));
  const latent = tf.tensor2d(z, [z.length, 2]);
  const images = decodeMeans(model, latent);
  latent.dispose();
  return grid(images, options.shape, {
    columns: options.size,
    title: 'decoded z on a grid: columns z1, rows z2',
    columnLabels: values.map(label),
    rowLabels: [...values].reverse().map(label),
  });
}

/**
 * Decodes the straight line between the codes of two test images a, b [1, ...]
 * (`VAE.interpolate`'s line between `VAE.code`s, decoded a few rows at a time and
 * clipped to [0, 1] for the picture).
 */
export function interpolationPicture(
  model: VAE,
  ends: { a: tf.Tensor; b: tf.Tensor; from: number; to: number },
  options: { steps: number; shape: [number, number, number] },
): RgbaImage {
  const images = tf.tidy(() => {
    const codes = encodeMeans(model, tf.concat([ends.a, ends.b], 0));
    const [za, zb] = tf.split(codes, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    const t = tf.reshape(tf.linspace(0, 1, options.steps), [options.steps, 1]);
    return decodeMeans(model, tf.add(za, tf.mul(t, tf.sub(zb, za))) as tf.Tensor2D);
  });
  return grid(images, options.shape, {
    columns: options.steps,
    title: `from test image ${ends.from} to test image ${ends.to} through the latent space`,
  });
}

/** The loss curves of metrics.jsonl: train and test negative ELBO per epoch. */
export function lossPicture(history: readonly EpochMetrics[]): RgbaImage {
  const series: PlotSeries[] = [
    { name: 'train', x: history.map((m) => m.epoch + 1), y: history.map((m) => m.trainLoss) },
  ];
  if (history.some((m) => m.testLoss !== undefined)) {
    series.push({
      name: 'test',
      x: history.map((m) => m.epoch + 1),
      y: history.map((m) => m.testLoss ?? Number.NaN),
    });
  }
  return linePlot(series, {
    title: 'Negative ELBO per epoch',
    xLabel: 'epoch',
    yLabel: 'nats',
    width: 720,
    height: 440,
  });
}
