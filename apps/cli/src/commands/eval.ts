import { Command, Option } from 'commander';
import type { BackendChoice } from '../internal/backend-options.js';
import { DEFAULT_CHUNK, DEFAULT_MAX_MEMORY_MIB } from '../internal/chunk-defaults.js';
import type { CliIo } from '../internal/io.js';
import { boundedInteger, seedNumber } from '../internal/parse.js';
import {
  addBackend,
  addVerbosity,
  type CheckpointChoice,
  checkpointOption,
  mnistDirectoryOption,
  routeOutput,
  type VerbosityOptions,
} from './common-options.js';

/** What `vae eval` is given. */
export interface EvalOptions extends BackendChoice, VerbosityOptions {
  k: number;
  batchSize: number;
  /** Importance samples decoded at once; chosen from `maxMemory` when not given. */
  chunk?: number;
  /** MiB of tensors one batch's importance samples may hold at once. */
  maxMemory: number;
  limit?: number;
  seed: number;
  mnistDir?: string;
  checkpoint: CheckpointChoice;
  json: boolean;
}

/** `vae eval <run>`. */
export function evalCommand(io: CliIo): Command {
  const command = new Command('eval')
    .description(
      'evaluate a run on its test split: ELBO, importance-weighted log-likelihood, ELBO gap, active units, bits/dim',
    )
    .argument('<run>', 'run folder written by vae train')
    .option(
      '--k <n>',
      'importance samples per test example for log p(x)',
      boundedInteger(1_000_000),
      5000,
    )
    .option('--batch-size <n>', 'test examples per batch', boundedInteger(10_000), 100)
    .option(
      '--chunk <n>',
      `importance samples per example decoded at once (default ${DEFAULT_CHUNK}, fewer when they would exceed --max-memory)`,
      boundedInteger(100_000),
    )
    .option(
      '--max-memory <MiB>',
      'tensors one batch may hold at once while decoding its importance samples',
      boundedInteger(1 << 20),
      DEFAULT_MAX_MEMORY_MIB,
    )
    .addOption(
      new Option('--limit <n>', 'use the first n test examples (default all)')
        .argParser(boundedInteger(100_000_000))
        .env('VAE_MNIST_TEST_LIMIT'),
    )
    .option('--seed <n>', 'seed of the Monte Carlo estimates', seedNumber, 0)
    .option('--json', 'print the result as JSON', false)
    .addOption(checkpointOption())
    .addOption(mnistDirectoryOption())
    .action(async (run: string, options: EvalOptions) => {
      const { evaluateRun } = await import('../evaluate/evaluate-run.js');
      await evaluateRun(run, options, io);
    });
  addBackend(command);
  addVerbosity(command);
  return routeOutput(command, io);
}
