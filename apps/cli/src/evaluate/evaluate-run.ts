import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@vae/divergence';
import { writeFileAtomic } from '@vae/divergence/node';
import type { VAE } from '@vae/nn';
import type { EvalOptions } from '../commands/eval.js';
import { DEFAULT_CHUNK } from '../internal/chunk-defaults.js';
import {
  bytesText,
  chooseChunk,
  chunkBytes,
  measureChunkMemory,
  wasmOutOfMemory,
} from '../internal/chunk-size.js';
import { count, duration } from '../internal/format.js';
import type { CliIo } from '../internal/io.js';
import { openRun } from '../internal/open-run.js';
import { Reporter } from '../internal/reporter.js';
import type { RunConfig } from '../internal/run-config.js';
import { bitsPerDimension, type RunData, testSource } from '../internal/run-data.js';
import { elboTerms, encodeMeans, logLikelihood } from '../internal/scoring.js';
import {
  type EvalProgress,
  type EvalSettings,
  type EvalTotals,
  readEvalProgress,
  removeEvalProgress,
  writeEvalProgress,
} from './eval-progress.js';

/** What `vae eval` reports (and writes to eval.json). */
export interface Evaluation {
  examples: number;
  k: number;
  /** Importance samples per example decoded at once (the estimate's noise depends on it). */
  chunk: number;
  seed: number;
  /** Mean ELBO (nats), its reconstruction term E[log p(x|z)] and KL(q(z|x) || p(z)). */
  elbo: number;
  reconstruction: number;
  kl: number;
  /** Standard error of the mean ELBO across the test examples (sample sd / sqrt(n); nats). */
  elboStandardError: number;
  /** Importance-weighted estimate of log p(x) with k samples (nats). */
  logLikelihood: number;
  /**
   * Standard error of `logLikelihood` across the test examples (sample sd of the
   * per-example estimates / sqrt(n); nats): the spread of the data, the Monte
   * Carlo noise of each estimate included.
   */
  logLikelihoodStandardError: number;
  /** The checkpoint scored: the last one, or best.ckpt. */
  checkpoint: 'last' | 'best';
  /** logLikelihood - elbo: the KL from the encoder to the true posterior (nats). */
  elboGap: number;
  /** Latent dimensions whose encoder mean varies over the data (variance > 0.01). */
  activeUnits: number;
  latent: number;
  /** -log P(x) / (D ln 2), with the run's dequantization (see the README). */
  bitsPerDim: number;
  /** Seconds of scoring, over every invocation of an evaluation that was stopped and run again. */
  seconds: number;
}

async function scoreBatch(
  model: VAE,
  x: tf.Tensor,
  options: { k: number; chunk: number; seed: number; batch: number; totals: EvalTotals },
): Promise<void> {
  const { totals } = options;
  const terms = elboTerms(model, x, deriveSeed(options.seed, 0, options.batch));
  const ll = logLikelihood(model, x, {
    k: options.k,
    chunk: options.chunk,
    seed: deriveSeed(options.seed, 1, options.batch),
  });
  const codes = encodeMeans(model, x);
  const elbo = tf.sub(terms.reconstruction, terms.kl);
  const [reconstruction, kl, elbos, lls, means] = await Promise.all([
    terms.reconstruction.data(),
    terms.kl.data(),
    elbo.data(),
    ll.data(),
    codes.data(),
  ]);
  tf.dispose([terms.reconstruction, terms.kl, ll, codes, elbo]);
  // Per-example values summed in float64 on the host.
  for (let i = 0; i < lls.length; i++) {
    totals.reconstruction += reconstruction[i]!;
    totals.kl += kl[i]!;
    totals.logLikelihood += lls[i]!;
    totals.shift ??= { elbo: elbos[i]!, logLikelihood: lls[i]! };
    totals.elboSquares += (elbos[i]! - totals.shift.elbo) ** 2;
    totals.logLikelihoodSquares += (lls[i]! - totals.shift.logLikelihood) ** 2;
  }
  const latent = totals.mean.length;
  for (let i = 0; i < means.length; i++) {
    const v = means[i]!;
    totals.mean[i % latent]! += v;
    totals.square[i % latent]! += v * v;
  }
}

/** A fresh set of sums for a model with `latent` dimensions. */
function noTotals(latent: number): EvalTotals {
  return {
    reconstruction: 0,
    kl: 0,
    logLikelihood: 0,
    shift: undefined,
    elboSquares: 0,
    logLikelihoodSquares: 0,
    mean: new Float64Array(latent),
    square: new Float64Array(latent),
  };
}

/**
 * Scores the test split batch by batch, with a progress display. With `resume`
 * it starts after the batches that progress holds, from its sums, and ends with
 * the figures an uninterrupted evaluation gives (each batch's noise depends on
 * the seed and the batch's index only); `afterBatch` is handed the progress
 * after every batch (the sums are the caller's to read, not to keep changing).
 */
export async function evaluate(
  model: VAE,
  data: { run: RunData; config: RunConfig },
  options: Pick<EvalOptions, 'k' | 'batchSize' | 'seed'> & {
    /** Importance samples per example decoded at once. */
    chunk: number;
    reporter: Reporter;
    checkpoint?: 'last' | 'best';
    resume?: EvalProgress | undefined;
    afterBatch?: (progress: EvalProgress) => Promise<void>;
  },
): Promise<Evaluation> {
  const source = testSource(data.run, data.config);
  const n = source.size;
  const { resume } = options;
  const totals = resume?.totals ?? noTotals(model.latentDim);
  const started = performance.now() - (resume?.seconds ?? 0) * 1000;
  // A resumed evaluation's bar starts where it stopped, so its ETA counts this run's pace.
  const progress = options.reporter.progress({
    label: 'eval',
    total: n,
    unit: 'examples',
    start: Math.min((resume?.batches ?? 0) * options.batchSize, n),
  });
  try {
    let batch = resume?.batches ?? 0;
    for (let start = batch * options.batchSize; start < n; start += options.batchSize, batch++) {
      const indices = Array.from(
        { length: Math.min(options.batchSize, n - start) },
        (_, i) => start + i,
      );
      const x = source.getBatch(indices);
      try {
        await scoreBatch(model, x, { ...options, batch, totals });
      } finally {
        x.dispose();
      }
      const done = start + indices.length;
      if (done < n) {
        const seconds = (performance.now() - started) / 1000;
        await options.afterBatch?.({ batches: batch + 1, seconds, totals });
      }
      progress.update(done, {
        'log p(x)': (totals.logLikelihood / done).toFixed(2),
      });
    }
  } finally {
    progress.stop();
  }
  const active = Array.from(totals.mean).filter((sum, d) => {
    const mean = sum / n;
    return totals.square[d]! / n - mean * mean > 0.01;
  }).length;
  const elbo = (totals.reconstruction - totals.kl) / n;
  const logLikelihoodMean = totals.logLikelihood / n;
  return {
    examples: n,
    k: options.k,
    chunk: options.chunk,
    seed: options.seed,
    elbo,
    elboStandardError: standardError(totals.elboSquares, elbo - (totals.shift?.elbo ?? 0), n),
    reconstruction: totals.reconstruction / n,
    kl: totals.kl / n,
    logLikelihood: logLikelihoodMean,
    logLikelihoodStandardError: standardError(
      totals.logLikelihoodSquares,
      logLikelihoodMean - (totals.shift?.logLikelihood ?? 0),
      n,
    ),
    checkpoint: options.checkpoint ?? 'last',
    elboGap: logLikelihoodMean - elbo,
    activeUnits: active,
    latent: model.latentDim,
    bitsPerDim: bitsPerDimension(logLikelihoodMean, data.config, data.run.eightBit),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * sd / sqrt(n) from the sum of squares and the mean, with the unbiased sample
 * variance (n - 1); NaN for a single example. The values may be shifted by any
 * constant (the sum of squares and the mean alike); shifted near the mean, the
 * one-pass formula keeps its digits.
 */
export function standardError(sumOfSquares: number, mean: number, n: number): number {
  if (n < 2) return Number.NaN;
  const variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  return Math.sqrt(variance / n);
}

function format(result: Evaluation): string {
  const f = (v: number) => v.toFixed(2);
  return [
    `test examples      ${count(result.examples)}`,
    `checkpoint         ${result.checkpoint === 'best' ? 'best.ckpt (best validation bound)' : 'the last'}`,
    `ELBO               ${f(result.elbo)} ± ${f(result.elboStandardError)} nats (negative ELBO ${f(-result.elbo)}; ± one standard error across examples)`,
    `  reconstruction   ${f(result.reconstruction)} nats`,
    `  KL               ${f(result.kl)} nats`,
    `log p(x), k=${result.k}`.padEnd(19) +
      `${f(result.logLikelihood)} ± ${f(result.logLikelihoodStandardError)} nats (NLL ${f(-result.logLikelihood)} ± ${f(result.logLikelihoodStandardError)})`,
    `ELBO gap           ${f(result.elboGap)} nats`,
    `active units       ${result.activeUnits} of ${result.latent}`,
    `bits per dimension ${result.bitsPerDim.toFixed(4)}`,
    `time               ${duration(result.seconds)}`,
    '',
  ].join('\n');
}

/**
 * `--chunk`, or the most samples up to the default that fit `--max-memory`, on
 * one line with what a batch will hold; memory is measured for the batches this
 * test split makes.
 */
async function chunkFor(
  model: VAE,
  options: EvalOptions & { examples: number },
  reporter: Reporter,
): Promise<number> {
  const batchSize = Math.min(options.batchSize, options.examples);
  const maxBytes = options.maxMemory * 2 ** 20;
  const { chunk } = await reporter.phase(
    'measuring the memory of a batch',
    async () => {
      const memory = await measureChunkMemory(model, { batchSize, maxBytes });
      const requested = options.chunk;
      return {
        memory,
        chunk: chooseChunk(memory, { batchSize, k: options.k, requested, maxBytes }),
      };
    },
    ({ memory, chunk }) => {
      const decoded = Math.min(chunk, options.k);
      const atOnce = `${count(decoded)} samples per image at once`;
      return options.chunk === undefined && chunk < DEFAULT_CHUNK
        ? `${atOnce}: ${DEFAULT_CHUNK} would hold ${bytesText(chunkBytes(memory, batchSize, DEFAULT_CHUNK))} of tensors, above --max-memory ${count(options.maxMemory)} MiB`
        : `${atOnce}, ${bytesText(chunkBytes(memory, batchSize, decoded))} of tensors`;
    },
  );
  return chunk;
}

/** `vae eval <run>`: scores the run's test split and writes eval.json into the run. */
export async function evaluateRun(run: string, options: EvalOptions, io: CliIo): Promise<void> {
  const reporter = new Reporter(io, 'eval', options);
  const opened = await openRun(run, {
    command: 'eval',
    reporter,
    backend: options.backend,
    threads: options.threads,
    lock: true,
    checkpoint: options.checkpoint,
    ...(options.limit === undefined ? {} : { testLimit: options.limit }),
    ...(options.mnistDir === undefined ? {} : { mnistDir: options.mnistDir }),
  });
  try {
    const { model, paths, config } = opened;
    const examples = testSource(opened.data, config).size;
    const chunk = await chunkFor(model, { ...options, examples }, reporter);
    const settings: EvalSettings = {
      runId: config.runId,
      checkpoint: options.checkpoint,
      step: opened.checkpointStep,
      examples,
      k: options.k,
      batchSize: options.batchSize,
      chunk,
      seed: options.seed,
      backend: tf.getBackend(),
    };
    const resume = await readEvalProgress(paths.evaluationProgress, settings, model.latentDim);
    if (resume.progress !== undefined) {
      const done = Math.min(resume.progress.batches * options.batchSize, settings.examples);
      reporter.always(
        `going on from an unfinished evaluation: ${count(done)} of ${count(settings.examples)} examples scored (${duration(resume.progress.seconds)})`,
      );
    } else if (resume.reason !== undefined) {
      reporter.always(
        `starting from the first example: eval.progress.json is not this evaluation's (${resume.reason})`,
      );
    }
    // No signal handler: a JavaScript one would run only when a batch's computation
    // returns. Ctrl-C ends the process at once; every finished batch is on disk.
    const result = await evaluate(
      model,
      { run: opened.data, config },
      {
        ...options,
        chunk,
        reporter,
        resume: resume.progress,
        afterBatch: (progress) => writeEvalProgress(paths.evaluationProgress, settings, progress),
      },
    ).catch((error: unknown) => {
      throw wasmOutOfMemory(error, { ...options, chunk }) ?? error;
    });
    await writeFileAtomic(paths.evaluation, `${JSON.stringify(result, null, 2)}\n`);
    await removeEvalProgress(paths.evaluationProgress);
    reporter.result(options.json ? JSON.stringify(result) : format(result));
  } finally {
    await opened.close();
  }
}
