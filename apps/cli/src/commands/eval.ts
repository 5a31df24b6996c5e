import * as tf from '@tensorflow/tfjs-core';
import { activeUnits, bitsPerDim } from '@vae/elbo';
import { Command, Option } from 'commander';
import { type BackendChoice, backendOption, threadsOption } from '../internal/backend-options.js';
import { loadRun } from '../internal/load-run.js';
import { mnistDirectoryOption, rows, testImages } from '../internal/mnist.js';
import { type CliModel, elboTerms, inModelShape, logLikelihood } from '../internal/model.js';
import { nonNegativeInteger, positiveInteger } from '../internal/parse.js';
import { writeAtomic } from '../internal/run-folder.js';

interface EvalOptions extends BackendChoice {
  k: number;
  batchSize: number;
  chunk: number;
  limit?: number;
  seed: number;
  mnistDir?: string;
  json: boolean;
}

/** What `vae eval` reports (and writes to eval.json). */
export interface Evaluation {
  examples: number;
  k: number;
  /** Mean ELBO (nats), its reconstruction term E[log p(x|z)] and KL(q(z|x) || p(z)). */
  elbo: number;
  reconstruction: number;
  kl: number;
  /** Importance-weighted estimate of log p(x) with k samples (nats). */
  logLikelihood: number;
  /** logLikelihood - elbo: the KL from the encoder to the true posterior (nats). */
  elboGap: number;
  /** Latent dimensions whose encoder mean varies over the data (Cov > 0.01). */
  activeUnits: number;
  latent: number;
  /** -logLikelihood / (784 ln 2). */
  bitsPerDim: number;
}

/** `vae eval <run>`. */
export function evalCommand(): Command {
  return new Command('eval')
    .description(
      'evaluate a run on the MNIST test set: ELBO, IWAE log-likelihood, ELBO gap, active units, bits/dim',
    )
    .argument('<run>', 'run folder written by vae train')
    .option('--k <n>', 'importance samples per test image for log p(x)', positiveInteger, 5000)
    .option('--batch-size <n>', 'test images per batch', positiveInteger, 100)
    .option(
      '--chunk <n>',
      'importance samples decoded at once per batch (memory bound)',
      positiveInteger,
      100,
    )
    .addOption(
      new Option('--limit <n>', 'use the first n test images (default all 10,000)')
        .argParser(positiveInteger)
        .env('VAE_MNIST_TEST_LIMIT'),
    )
    .option('--seed <n>', 'seed of the Monte Carlo estimates', nonNegativeInteger, 0)
    .addOption(backendOption())
    .addOption(threadsOption())
    .option('--json', 'print the result as JSON', false)
    .addOption(mnistDirectoryOption())
    .action(async (run: string, options: EvalOptions) => {
      const { model, paths } = await loadRun(run, { command: 'eval', ...options });
      const test = await testImages(options.limit, options.mnistDir);
      try {
        const result = await evaluate(model, test.x, options);
        await writeAtomic(paths.evaluation, `${JSON.stringify(result, null, 2)}\n`);
        process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : format(result));
      } finally {
        test.x.dispose();
        model.dispose();
      }
    });
}

async function evaluate(
  model: CliModel,
  x: tf.Tensor2D,
  options: EvalOptions,
): Promise<Evaluation> {
  const n = x.shape[0];
  const sums = { reconstruction: 0, kl: 0, logLikelihood: 0 };
  for (let start = 0, b = 0; start < n; start += options.batchSize, b++) {
    const batch = rows(x, start, options.batchSize);
    try {
      const terms = elboTerms(model, batch, options.seed + b);
      const ll = logLikelihood(model, batch, {
        k: options.k,
        chunk: options.chunk,
        seed: (options.seed + 1) * 100_003 + b * 7919,
      });
      const totals = tf.tidy(() =>
        tf.stack([tf.sum(terms.reconstruction), tf.sum(terms.kl), tf.sum(ll)]),
      );
      const [r, k, l] = Array.from(await totals.data());
      totals.dispose();
      sums.reconstruction += r!;
      sums.kl += k!;
      sums.logLikelihood += l!;
      tf.dispose([terms.reconstruction, terms.kl, ll]);
    } finally {
      batch.dispose();
    }
  }
  const modelX = inModelShape(model, x);
  const active = await activeUnits(model, modelX);
  modelX.dispose();
  const bits = tf.tidy(() => bitsPerDim(tf.scalar(sums.logLikelihood / n), 784).dataSync()[0]!);
  const elbo = (sums.reconstruction - sums.kl) / n;
  const logLikelihoodMean = sums.logLikelihood / n;
  return {
    examples: n,
    k: options.k,
    elbo,
    reconstruction: sums.reconstruction / n,
    kl: sums.kl / n,
    logLikelihood: logLikelihoodMean,
    elboGap: logLikelihoodMean - elbo,
    activeUnits: active.count,
    latent: model.latentDim,
    bitsPerDim: bits,
  };
}

function format(result: Evaluation): string {
  const f = (v: number) => v.toFixed(2);
  return [
    `test images        ${result.examples}`,
    `ELBO               ${f(result.elbo)} nats (negative ELBO ${f(-result.elbo)})`,
    `  reconstruction   ${f(result.reconstruction)} nats`,
    `  KL               ${f(result.kl)} nats`,
    `log p(x), k=${result.k}`.padEnd(19) +
      `${f(result.logLikelihood)} nats (NLL ${f(-result.logLikelihood)})`,
    `ELBO gap           ${f(result.elboGap)} nats`,
    `active units       ${result.activeUnits} of ${result.latent}`,
    `bits per dimension ${result.bitsPerDim.toFixed(4)}`,
    '',
  ].join('\n');
}
