// `vae gaussian`: the baseline every latent-variable model must beat (MATH.md section 1): one
// full-covariance Gaussian N(M, Sigma) over all pixels, fitted by maximum likelihood.
//
// Honest log-likelihoods. The VAE reports log P(x) of DISCRETE data (binarized MNIST, whose
// decoder is Bernoulli); a Gaussian has a DENSITY. We make the two comparable by uniform
// dequantization: with K levels per pixel (2 for binarized MNIST, 256 for 8-bit images) and
// y = (x + u) / K, u ~ U[0, 1)^D, a density p on [0, 1]^D defines the discrete model
// P(x) = integral over the cell of x of p, and by Jensen
//     log P(x) >= E_u[ log p((x + u) / K) ] - D log K.
// So `logLikelihood` below (mean over test images of log p(y) - D log K, one u per image) is
// an unbiased estimate of a lower bound on the Gaussian's log-probability of the same discrete
// test images the VAE's importance-weighted estimate scores: nats per image, and bits per
// dimension = -logLikelihood / (D ln 2).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@vae/backends';
import { createDataSource } from '@vae/data';
import { loadEmojiImages, loadMnist } from '@vae/data/node';
import { MultivariateNormal } from '@vae/distributions';
import { imageGrid } from '@vae/viz';
import { writePng } from '@vae/viz/node';
import { Command, Option } from 'commander';
import { type BackendChoice, backendOption, threadsOption } from '../internal/backend-options.js';
import { loadRun } from '../internal/load-run.js';
import { mnistDirectoryOption, rows, testImages } from '../internal/mnist.js';
import { logLikelihood as vaeLogLikelihood } from '../internal/model.js';
import { nonNegativeInteger, nonNegativeNumber, positiveInteger } from '../internal/parse.js';

interface GaussianOptions extends BackendChoice {
  dataset: 'emoji' | 'mnist';
  out?: string;
  shrinkage: string;
  jitter: number;
  samples: number;
  limit?: number;
  testLimit?: number;
  seed: number;
  vaeRun?: string;
  vaeK: number;
  mnistDir?: string;
  json: boolean;
}

/** Discrete images: integer levels in [0, K) stored as floats, `[n, d]` row-major. */
interface DiscreteImages {
  levels: Float32Array;
  n: number;
  d: number;
  /** Levels per pixel K. */
  k: number;
  imageShape: [number, number, number];
}

/** What `vae gaussian` reports (and writes to gaussian.json). */
export interface GaussianReport {
  dataset: string;
  data: string;
  trainImages: number;
  testImages: number;
  dimension: number;
  shrinkage: number;
  jitter: number;
  /** Mean log density of the dequantized test images on [0, 1]^D (nats per image). */
  densityLogLikelihood: number;
  /** Lower bound on log P(x) of the discrete test images: density - D ln K (nats per image). */
  logLikelihood: number;
  bitsPerDim: number;
  validation?: { shrinkage: number; logLikelihood: number }[];
  vae?: { run: string; k: number; logLikelihood: number; bitsPerDim: number; source: string };
}

function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** y = (x + u) / K with u ~ U[0, 1): densities on [0, 1]^D. */
function dequantize(images: DiscreteImages, seed: number, range?: [number, number]): Float32Array {
  const [start, end] = range ?? [0, images.n];
  const random = seededUniform(seed);
  const out = images.levels.slice(start * images.d, end * images.d);
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! + random()) / images.k;
  return out;
}

async function emojiData(
  options: GaussianOptions,
): Promise<{ train: DiscreteImages; test: DiscreteImages }> {
  const quantize = (set: Awaited<ReturnType<typeof loadEmojiImages>>): DiscreteImages => ({
    levels: Float32Array.from(set.values),
    n: set.size,
    d: set.values.length / set.size,
    k: 256,
    imageShape: [...set.itemShape],
  });
  const train = await loadEmojiImages({
    split: 'train',
    ...(options.limit ? { limit: options.limit } : {}),
  });
  const test = await loadEmojiImages({
    split: 'test',
    ...(options.testLimit ? { limit: options.testLimit } : {}),
  });
  return { train: quantize(train), test: quantize(test) };
}

async function mnistData(
  options: GaussianOptions,
): Promise<{ train: DiscreteImages; test: DiscreteImages }> {
  const dir = options.mnistDir === undefined ? {} : { directory: options.mnistDir };
  const trainSet = await loadMnist({
    split: 'train',
    ...(options.limit ? { limit: options.limit } : {}),
    ...dir,
  });
  // One seeded Bernoulli draw of the training images; the test images are exactly the fixed
  // binarization `vae eval` scores.
  const source = createDataSource(trainSet, {
    binarize: 'dynamic',
    seed: options.seed + 1,
    shape: [784],
  });
  const trainX = source.getBatch(Array.from({ length: trainSet.size }, (_, i) => i));
  const testSet = await testImages(options.testLimit, options.mnistDir);
  const asImages = (x: tf.Tensor2D): DiscreteImages => ({
    levels: Float32Array.from(x.dataSync()),
    n: x.shape[0],
    d: x.shape[1],
    k: 2,
    imageShape: [28, 28, 1],
  });
  const result = { train: asImages(trainX), test: asImages(testSet.x) };
  tf.dispose([trainX, testSet.x]);
  return result;
}

function meanLogDensity(model: MultivariateNormal, values: Float32Array, d: number): number {
  const n = values.length / d;
  let total = 0;
  for (let start = 0; start < n; start += 256) {
    const count = Math.min(256, n - start);
    total += tf.tidy(() => {
      const x = tf.tensor2d(values.subarray(start * d, (start + count) * d), [count, d]);
      return tf.sum(model.logProb(x)).dataSync()[0]!;
    });
  }
  return total / n;
}

/** Picks shrinkage on the last 10% of the training images (refit on the rest). */
function chooseShrinkage(
  train: DiscreteImages,
  options: GaussianOptions,
): { shrinkage: number; validation: { shrinkage: number; logLikelihood: number }[] } {
  const held = Math.max(1, Math.floor(train.n / 10));
  const fitPart = {
    images: dequantize(train, options.seed, [0, train.n - held]),
    size: train.n - held,
  };
  const validation = dequantize(train, options.seed + 7, [train.n - held, train.n]);
  const scores: { shrinkage: number; logLikelihood: number }[] = [];
  for (const shrinkage of [0.001, 0.01, 0.03, 0.1, 0.3]) {
    let score = Number.NEGATIVE_INFINITY;
    try {
      const model = MultivariateNormal.fit(fitPart, { shrinkage, jitter: options.jitter });
      score = meanLogDensity(model, validation, train.d);
      model.dispose();
    } catch {
      // Not positive definite at this shrinkage: skip it.
    }
    scores.push({ shrinkage, logLikelihood: score });
  }
  const best = scores.reduce((a, b) => (b.logLikelihood > a.logLikelihood ? b : a));
  return { shrinkage: best.shrinkage, validation: scores };
}

async function vaeComparison(
  run: string,
  test: DiscreteImages,
  options: GaussianOptions,
): Promise<NonNullable<GaussianReport['vae']>> {
  const bits = (ll: number) => -ll / (test.d * Math.LN2);
  try {
    const saved = JSON.parse(await readFile(join(run, 'eval.json'), 'utf8')) as {
      examples: number;
      k: number;
      logLikelihood: number;
    };
    if (saved.examples === test.n) {
      return {
        run,
        k: saved.k,
        logLikelihood: saved.logLikelihood,
        bitsPerDim: bits(saved.logLikelihood),
        source: 'eval.json',
      };
    }
  } catch {
    // No eval.json (or another test size): estimate it here.
  }
  const { model } = await loadRun(run, { command: 'gaussian', ...options });
  const x = tf.tensor2d(test.levels, [test.n, test.d]);
  let total = 0;
  try {
    for (let start = 0, b = 0; start < test.n; start += 100, b++) {
      const batch = rows(x, start, 100);
      const ll = vaeLogLikelihood(model, batch, { k: options.vaeK, chunk: 250, seed: 100_003 + b });
      total += tf.tidy(() => tf.sum(ll).dataSync()[0]!);
      tf.dispose([batch, ll]);
    }
  } finally {
    x.dispose();
    model.dispose();
  }
  const logLikelihood = total / test.n;
  return {
    run,
    k: options.vaeK,
    logLikelihood,
    bitsPerDim: bits(logLikelihood),
    source: 'importance sampling',
  };
}

async function writeImages(
  model: MultivariateNormal,
  target: { imageShape: [number, number, number]; out: string },
  options: GaussianOptions,
) {
  const { imageShape, out } = target;
  const grid = (x: tf.Tensor, scale: number) => imageGrid(x, { imageShape, scale });
  const samples = tf.tidy(() =>
    tf.clipByValue(model.sample([options.samples], options.seed), 0, 1),
  );
  const mean = tf.tidy(() => tf.clipByValue(tf.expandDims(model.mean, 0), 0, 1));
  await writePng(join(out, 'samples.png'), grid(samples, imageShape[2] === 3 ? 3 : 2));
  await writePng(join(out, 'mean.png'), grid(mean, 8));
  tf.dispose([samples, mean]);
}

function format(report: GaussianReport): string {
  const lines = [
    `Gaussian baseline on ${report.dataset}: ${report.trainImages} training and ${report.testImages} test images, D = ${report.dimension}`,
    `  data: ${report.data}`,
    `  shrinkage ${report.shrinkage}, jitter ${report.jitter}`,
    `  test log-likelihood: ${report.logLikelihood.toFixed(2)} nats per image (lower bound, discrete data), ${report.bitsPerDim.toFixed(4)} bits/dim`,
    `  (log density of dequantized images on [0, 1]^D: ${report.densityLogLikelihood.toFixed(2)} nats per image)`,
  ];
  if (report.vae) {
    lines.push(
      `  VAE (${report.vae.run}, ${report.vae.source}, k = ${report.vae.k}): ${report.vae.logLikelihood.toFixed(2)} nats per image, ${report.vae.bitsPerDim.toFixed(4)} bits/dim`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function runGaussian(options: GaussianOptions): Promise<void> {
  if (options.vaeRun !== undefined && options.dataset !== 'mnist') {
    throw new Error('gaussian: --vae-run compares on MNIST; pass --dataset mnist');
  }
  await useBackend(options.backend, { threads: options.threads });
  const { train, test } =
    options.dataset === 'emoji' ? await emojiData(options) : await mnistData(options);
  const chosen =
    options.shrinkage === 'auto'
      ? chooseShrinkage(train, options)
      : { shrinkage: nonNegativeNumber(options.shrinkage), validation: undefined };
  const model = MultivariateNormal.fit(
    { images: dequantize(train, options.seed), size: train.n },
    { shrinkage: chosen.shrinkage, jitter: options.jitter },
  );
  try {
    const density = meanLogDensity(model, dequantize(test, options.seed + 13), test.d);
    const logLikelihood = density - test.d * Math.log(test.k);
    const report: GaussianReport = {
      dataset: options.dataset,
      data:
        options.dataset === 'mnist'
          ? 'binarized MNIST (test: the fixed binarization vae eval uses), dequantized y = (x + u) / 2; log P(x) >= log p(y) - D ln 2'
          : 'Twemoji 30x30x3 quantized to 8 bits, dequantized y = (x + u) / 256; log P(x) >= log p(y) - D ln 256',
      trainImages: train.n,
      testImages: test.n,
      dimension: test.d,
      shrinkage: chosen.shrinkage,
      jitter: options.jitter,
      densityLogLikelihood: density,
      logLikelihood,
      bitsPerDim: -logLikelihood / (test.d * Math.LN2),
      ...(chosen.validation ? { validation: chosen.validation } : {}),
    };
    if (options.vaeRun !== undefined)
      report.vae = await vaeComparison(options.vaeRun, test, options);
    const out = options.out ?? join('runs', `gaussian-${options.dataset}`);
    await mkdir(out, { recursive: true });
    await writeImages(model, { imageShape: test.imageShape, out }, options);
    await writeFile(join(out, 'gaussian.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      options.json
        ? `${JSON.stringify(report)}\n`
        : `${format(report)}  wrote ${out}/samples.png, mean.png, gaussian.json\n`,
    );
  } finally {
    model.dispose();
  }
}

/**
 * `vae gaussian`: fits one full-covariance Gaussian to the training images (emoji colour
 * images at 30 x 30 x 3 = 2700 dimensions, or binarized MNIST), writes a grid of samples and
 * the mean as PNG, and reports the test log-likelihood in nats per image and bits per
 * dimension, optionally next to a VAE run's importance-weighted estimate on the same data.
 *
 * @example
 * ```sh
 * vae gaussian --dataset emoji --out runs/gaussian-emoji
 * vae gaussian --dataset mnist --vae-run runs/mnist-mlp
 * ```
 */
export function gaussianCommand(): Command {
  return new Command('gaussian')
    .description(
      'fit one full-covariance Gaussian to the training images (the baseline a VAE must beat): samples, mean, test log-likelihood',
    )
    .addOption(
      new Option('--dataset <name>', 'training images')
        .choices(['emoji', 'mnist'])
        .default('emoji'),
    )
    .option('--out <dir>', 'output folder (default runs/gaussian-<dataset>)')
    .option(
      '--shrinkage <lambda>',
      "shrinkage toward the diagonal in [0, 1], or 'auto' (chosen on 10% of the training images)",
      'auto',
    )
    .option(
      '--jitter <x>',
      'added to the covariance diagonal before factoring',
      nonNegativeNumber,
      0,
    )
    .option('--samples <n>', 'samples in samples.png', positiveInteger, 64)
    .option('--limit <n>', 'use the first n training images', positiveInteger)
    .option('--test-limit <n>', 'use the first n test images', positiveInteger)
    .option('--seed <n>', 'seed of dequantization and sampling', nonNegativeInteger, 0)
    .option(
      '--vae-run <dir>',
      'a vae train run folder to compare with (MNIST; uses its eval.json when present)',
    )
    .option(
      '--vae-k <n>',
      'importance samples per image when the run has no eval.json',
      positiveInteger,
      1000,
    )
    .addOption(backendOption())
    .addOption(threadsOption())
    .option('--json', 'print the result as JSON', false)
    .addOption(mnistDirectoryOption())
    .action(async (options: GaussianOptions) => {
      await runGaussian(options);
    });
}
