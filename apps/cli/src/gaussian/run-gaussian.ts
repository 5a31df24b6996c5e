// `vae gaussian`: the baseline every latent-variable model must beat: one
// full-covariance Gaussian N(M, Sigma) over all values, fitted by maximum likelihood.
//
// Honest log-likelihoods. A VAE reports log P(x) of DISCRETE data (binarized MNIST under a
// Bernoulli decoder, 8-bit images under the discretized logistic); a Gaussian has a DENSITY.
// Uniform dequantization makes the two comparable: with K levels per value (2 for binarized
// MNIST, 256 for 8-bit images) and y = (x + u) / K, u ~ U[0, 1)^D, a density p on [0, 1]^D
// defines the discrete model P(x) = integral over the cell of x of p, and by Jensen
//     log P(x) >= E_u[ log p((x + u) / K) ] - D log K.
// So `logLikelihood` below (mean over test examples of log p(y) - D log K, one u per example)
// is an unbiased estimate of a lower bound on the Gaussian's log-probability of the same
// discrete test examples the VAE scores: nats per example, and bits per dimension =
// -logLikelihood / (D ln 2). Float data (a float .npy) is scored as a density, K = 1.
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@vae/backends';
import { MultivariateNormal } from '@vae/distributions';
import { writeFileAtomic } from '@vae/divergence/node';
import { labeledGrid } from '@vae/viz';
import { writePng } from '@vae/viz/node';
import type { GaussianOptions } from '../commands/gaussian.js';
import { evaluate } from '../evaluate/evaluate-run.js';
import { describeBackend } from '../internal/backend-options.js';
import { CliError } from '../internal/errors.js';
import { count } from '../internal/format.js';
import type { CliIo } from '../internal/io.js';
import { openRun } from '../internal/open-run.js';
import { checkOutputFolder, recordOutputs } from '../internal/output-folder.js';
import { pictureShape } from '../internal/pictures.js';
import { Reporter } from '../internal/reporter.js';
import {
  describeData,
  describeSplits,
  loadRunData,
  parseDataArgument,
} from '../internal/run-data.js';
import { readSmallJsonIfAny } from '../internal/small-file.js';
import { ensureWritableFolder } from '../internal/writable.js';
import { dequantize, type GaussianData, gaussianData } from './gaussian-data.js';

/** What `vae gaussian` reports (and writes to gaussian.json). */
export interface GaussianReport {
  data: string;
  dequantization: string;
  trainExamples: number;
  testExamples: number;
  dimension: number;
  shrinkage: number;
  jitter: number;
  /** Mean log density of the dequantized test examples on [0, 1]^D (nats per example). */
  densityLogLikelihood: number;
  /** Lower bound on log P(x) of the discrete test examples: density - D ln K (nats per example). */
  logLikelihood: number;
  bitsPerDim: number;
  validation?: { shrinkage: number; logLikelihood: number }[];
  vae?: { run: string; k: number; logLikelihood: number; bitsPerDim: number; source: string };
}

function meanLogDensity(model: MultivariateNormal, values: Float32Array, d: number): number {
  const n = values.length / d;
  let total = 0;
  for (let start = 0; start < n; start += 256) {
    const size = Math.min(256, n - start);
    total += tf.tidy(() => {
      const x = tf.tensor2d(values.subarray(start * d, (start + size) * d), [size, d]);
      return tf.sum(model.logProb(x)).dataSync()[0]!;
    });
  }
  return total / n;
}

/** Picks shrinkage on the last 10% of the training examples (refit on the rest). */
function chooseShrinkage(train: GaussianData, options: GaussianOptions) {
  const held = Math.max(1, Math.floor(train.n / 10));
  const fitPart = {
    images: dequantize(train, { seed: options.seed, stream: 0, range: [0, train.n - held] }),
    size: train.n - held,
  };
  const validation = dequantize(train, {
    seed: options.seed,
    stream: 1,
    range: [train.n - held, train.n],
  });
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

function shrinkageOf(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) {
    throw new CliError(`gaussian: --shrinkage must be 'auto' or a number in [0, 1], got '${text}'`);
  }
  return value;
}

/** The VAE run's figure on the same test examples: its eval.json when it matches, else IWAE here. */
async function vaeComparison(
  run: string,
  test: GaussianData,
  options: GaussianOptions & { reporter: Reporter; spec: string },
): Promise<NonNullable<GaussianReport['vae']>> {
  const opened = await openRun(run, {
    command: 'gaussian',
    reporter: options.reporter,
    backend: options.backend,
    threads: options.threads,
    testLimit: test.n,
    lock: false,
    ...(options.mnistDir === undefined ? {} : { mnistDir: options.mnistDir }),
  });
  try {
    if (JSON.stringify(opened.config.data) !== options.spec) {
      throw new CliError(
        `gaussian: ${run} was trained on ${describeData(opened.config.data)}, not on this data; compare runs on the same data`,
      );
    }
    // Missing, damaged or of other examples: scored here instead.
    const saved = (await readSmallJsonIfAny(opened.paths.evaluation, 1 << 20)) as
      | {
          examples?: number;
          k?: number;
          logLikelihood?: number;
          bitsPerDim?: number;
        }
      | null
      | undefined;
    if (saved?.examples === test.n && typeof saved.logLikelihood === 'number') {
      return {
        run,
        k: saved.k ?? 0,
        logLikelihood: saved.logLikelihood,
        bitsPerDim: saved.bitsPerDim ?? Number.NaN,
        source: 'eval.json',
      };
    }
    const result = await evaluate(
      opened.model,
      { run: opened.data, config: opened.config },
      {
        k: options.vaeK,
        chunk: 100,
        batchSize: 50,
        seed: options.seed,
        reporter: options.reporter,
      },
    );
    return {
      run,
      k: result.k,
      logLikelihood: result.logLikelihood,
      bitsPerDim: result.bitsPerDim,
      source: 'importance sampling',
    };
  } finally {
    await opened.close();
  }
}

async function writeImages(
  model: MultivariateNormal,
  target: { shape: [number, number, number]; out: string; levels: number | undefined },
  options: GaussianOptions,
): Promise<string[]> {
  const { shape, out } = target;
  const scale = Math.max(1, Math.min(8, Math.round(56 / shape[0])));
  const samples = tf.tidy(() =>
    tf.clipByValue(model.sample([options.samples], options.seed), 0, 1),
  );
  const mean = tf.tidy(() => tf.clipByValue(tf.expandDims(model.mean(), 0), 0, 1));
  const files = ['samples.png', 'mean.png'];
  await recordOutputs(out, [...files, 'gaussian.json'], 'gaussian');
  await writePng(
    join(out, 'samples.png'),
    labeledGrid(tf.reshape(samples, [options.samples, ...shape]), {
      scale,
      title: `${options.samples} samples of the full-covariance Gaussian, seed ${options.seed}`,
    }),
  );
  await writePng(
    join(out, 'mean.png'),
    labeledGrid(tf.reshape(mean, [1, ...shape]), { scale: scale * 4, title: 'mean' }),
  );
  tf.dispose([samples, mean]);
  return files;
}

function format(report: GaussianReport): string {
  const lines = [
    `Gaussian baseline on ${report.data}: ${count(report.trainExamples)} training and ${count(report.testExamples)} test examples, D = ${report.dimension}`,
    `  ${report.dequantization}`,
    `  shrinkage ${report.shrinkage}, jitter ${report.jitter}`,
    `  test log-likelihood: ${report.logLikelihood.toFixed(2)} nats per example (lower bound, discrete data), ${report.bitsPerDim.toFixed(4)} bits/dim`,
    `  (log density of dequantized examples on [0, 1]^D: ${report.densityLogLikelihood.toFixed(2)} nats per example)`,
  ];
  if (report.vae) {
    lines.push(
      `  VAE (${report.vae.run}, ${report.vae.source}, k = ${report.vae.k}): ${report.vae.logLikelihood.toFixed(2)} nats per example, ${report.vae.bitsPerDim.toFixed(4)} bits/dim`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function dequantizationText(levels: number | undefined): string {
  if (levels === undefined) return 'float data scored as a density (no dequantization)';
  return `levels k dequantized as y = (k + u) / ${levels}, u ~ U[0, 1); log P(k) >= log p(y) - D ln ${levels}`;
}

/** `vae gaussian`. */
export async function runGaussian(options: GaussianOptions, io: CliIo): Promise<void> {
  const reporter = new Reporter(io, 'gaussian', options);
  const shrinkage = shrinkageOf(options.shrinkage);
  const spec = parseDataArgument(options.data, {
    ...(options.side === undefined ? {} : { side: options.side }),
    channels: options.grey ? 1 : 3,
    ...(options.testFraction === undefined ? {} : { testFraction: options.testFraction }),
    ...(options.mnistDir === undefined ? {} : { mnistDir: options.mnistDir }),
  });
  const name = spec.source === 'folder' || spec.source === 'npy' ? 'data' : spec.source;
  const out = resolve(io.cwd, options.out ?? join('runs', `gaussian-${name}`));
  await checkOutputFolder(out, 'gaussian');
  await ensureWritableFolder(out, { command: 'gaussian' });
  const loaded = await reporter.phase(
    `loading ${describeData(spec)}`,
    () =>
      loadRunData(spec, {
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.testLimit === undefined ? {} : { testLimit: options.testLimit }),
      }),
    (data) => describeSplits(data),
  );
  const { train, test } = gaussianData(spec, loaded, options.seed);
  await reporter.phase(
    `starting the ${options.backend} backend`,
    () => useBackend(options.backend, { threads: options.threads }),
    (info) => describeBackend(info, reporter),
  );
  const chosen =
    shrinkage === 'auto'
      ? await reporter.phase(
          'choosing the shrinkage on 10% of the training examples',
          async () => chooseShrinkage(train, options),
          (c) => `shrinkage ${c.shrinkage}`,
        )
      : { shrinkage, validation: undefined };
  const model = await reporter.phase(`fitting N(M, Sigma) in ${train.d} dimensions`, async () =>
    MultivariateNormal.fit(
      { images: dequantize(train, { seed: options.seed, stream: 2 }), size: train.n },
      { shrinkage: chosen.shrinkage, jitter: options.jitter },
    ),
  );
  try {
    const density = meanLogDensity(
      model,
      dequantize(test, { seed: options.seed, stream: 3 }),
      test.d,
    );
    const logLikelihood = density - test.d * Math.log(test.levels ?? 1);
    const report: GaussianReport = {
      data: describeData(spec),
      dequantization: dequantizationText(test.levels),
      trainExamples: train.n,
      testExamples: test.n,
      dimension: test.d,
      shrinkage: chosen.shrinkage,
      jitter: options.jitter,
      densityLogLikelihood: density,
      logLikelihood,
      bitsPerDim: -logLikelihood / (test.d * Math.LN2),
      ...(chosen.validation ? { validation: chosen.validation } : {}),
    };
    if (options.vaeRun !== undefined) {
      report.vae = await vaeComparison(options.vaeRun, test, {
        ...options,
        reporter,
        spec: JSON.stringify(spec),
      });
    }
    const shape = pictureShape(test.itemShape);
    const files =
      shape === undefined
        ? []
        : await writeImages(model, { shape, out, levels: test.levels }, options);
    await recordOutputs(out, [...files, 'gaussian.json'], 'gaussian');
    await writeFileAtomic(join(out, 'gaussian.json'), `${JSON.stringify(report, null, 2)}\n`);
    reporter.result(
      options.json
        ? JSON.stringify(report)
        : `${format(report)}  wrote ${[...files, 'gaussian.json'].map((f) => join(out, f)).join(', ')}`,
    );
  } finally {
    model.dispose();
  }
}
