import * as tf from '@tensorflow/tfjs-core';
import { imageGrid, linePlot, type PlotSeries } from '@vae/viz';
import { writePng } from '@vae/viz/node';
import { rows } from './mnist.js';
import { type CliModel, reconstructMeans, sampleMeans } from './model.js';
import type { EpochMetrics, RunPaths } from './run-folder.js';

/** Inputs and their reconstructions as a grid: each input row is followed by its reconstruction row. */
export function reconstructionGrid(
  model: CliModel,
  x: tf.Tensor2D,
  options: { columns: number; seed: number },
) {
  const interleaved = tf.tidy(() => {
    const recon = reconstructMeans(model, x) as tf.Tensor2D;
    const pairs: tf.Tensor2D[] = [];
    for (let start = 0; start < x.shape[0]; start += options.columns) {
      const count = Math.min(options.columns, x.shape[0] - start);
      pairs.push(rows(x, start, count), rows(recon, start, count));
    }
    return tf.concat(pairs, 0);
  });
  return gridOf(interleaved, options.columns);
}

/** An image grid of a tensor of images, disposing the tensor. */
export function gridOf(images: tf.Tensor, columns: number) {
  try {
    return imageGrid(images, { columns, scale: 2 });
  } finally {
    images.dispose();
  }
}

/** The loss curves of metrics.jsonl: train and test negative ELBO per epoch. */
export function lossPlot(history: readonly EpochMetrics[]) {
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

/** Writes samples.png, reconstructions.png and loss.png into the run folder. */
export async function writeOutputs(context: {
  model: CliModel;
  paths: RunPaths;
  testX: tf.Tensor2D;
  history: readonly EpochMetrics[];
  seed: number;
}): Promise<void> {
  const { model, paths, testX, history, seed } = context;
  await writePng(paths.samples, gridOf(sampleMeans(model, 64, seed), 8));
  const inputs = rows(testX, 0, 32);
  try {
    await writePng(paths.reconstructions, reconstructionGrid(model, inputs, { columns: 8, seed }));
  } finally {
    inputs.dispose();
  }
  if (history.length > 0) await writePng(paths.loss, lossPlot(history));
}
