import { Command } from 'commander';
import type { BackendChoice } from '../internal/backend-options.js';
import type { CliIo } from '../internal/io.js';
import { boundedInteger, nonNegativeNumber, seedNumber } from '../internal/parse.js';
import {
  addBackend,
  addDataOptions,
  addVerbosity,
  type DataOptions,
  routeOutput,
  type VerbosityOptions,
} from './common-options.js';

/** What `vae gaussian` is given. */
export interface GaussianOptions extends BackendChoice, VerbosityOptions, DataOptions {
  out?: string;
  shrinkage: string;
  jitter: number;
  samples: number;
  limit?: number;
  testLimit?: number;
  seed: number;
  vaeRun?: string;
  vaeK: number;
  json: boolean;
}

/**
 * `vae gaussian`: fits one full-covariance Gaussian to the training images (the
 * baseline every latent-variable model must beat), writes
 * labelled PNGs of samples and the mean, and reports the test log-likelihood in
 * nats per example and bits per dimension, optionally beside a VAE run's
 * importance-weighted estimate on the same test images.
 *
 * @example
 * ```sh
 * vae gaussian --data emoji --out runs/gaussian-emoji
 * vae gaussian --data mnist --vae-run runs/mnist-mlp
 * ```
 */
export function gaussianCommand(io: CliIo): Command {
  const command = new Command('gaussian')
    .description(
      'fit one full-covariance Gaussian to the training images (the baseline a VAE must beat): samples, mean, test log-likelihood',
    )
    .option('--out <dir>', 'output folder (default runs/gaussian-<data>)')
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
    .option('--samples <n>', 'samples in samples.png (at most 1024)', boundedInteger(1024), 64)
    .option('--limit <n>', 'use the first n training examples', boundedInteger(100_000_000))
    .option('--test-limit <n>', 'use the first n test examples', boundedInteger(100_000_000))
    .option('--seed <n>', 'seed of dequantization and sampling', seedNumber, 0)
    .option(
      '--vae-run <dir>',
      'a vae train run on the same data to compare with (uses its eval.json when it covers the same test examples)',
    )
    .option(
      '--vae-k <n>',
      'importance samples per example when the run has no matching eval.json',
      boundedInteger(1_000_000),
      1000,
    )
    .option('--json', 'print the result as JSON', false)
    .action(async (options: GaussianOptions) => {
      const { runGaussian } = await import('../gaussian/run-gaussian.js');
      await runGaussian(options, io);
    });
  addDataOptions(command);
  // The Gaussian's historical default is the emoji colour images.
  command.setOptionValueWithSource('data', 'emoji', 'default');
  addBackend(command);
  addVerbosity(command);
  return routeOutput(command, io);
}
