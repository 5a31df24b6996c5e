import { Command } from 'commander';
import type { BackendChoice } from '../internal/backend-options.js';
import type { CliIo } from '../internal/io.js';
import { boundedInteger, nonNegativeInteger, seedNumber } from '../internal/parse.js';
import {
  addBackend,
  addVerbosity,
  type CheckpointChoice,
  checkpointOption,
  mnistDirectoryOption,
  routeOutput,
  type VerbosityOptions,
} from './common-options.js';

/** The most samples one `vae sample` draws: a 32 x 32 grid, one PNG of bounded size. */
export const MAX_SAMPLES = 1024;

/** What `vae sample` is given. */
export interface SampleOptions extends BackendChoice, VerbosityOptions {
  n: number;
  seed: number;
  out?: string;
  from: number;
  to: number;
  steps: number;
  mnistDir?: string;
  checkpoint: CheckpointChoice;
}

/** `vae sample <run>`. */
export function sampleCommand(io: CliIo): Command {
  const command = new Command('sample')
    .description(
      'write labelled PNGs of samples, reconstructions, a latent traversal (2-D: the manifold) and an interpolation',
    )
    .argument(
      '<run>',
      'run folder written by vae train, or an exported model (<run>/model, a model.json)',
    )
    .option(
      `--n <n>`,
      `number of samples (at most ${MAX_SAMPLES})`,
      boundedInteger(MAX_SAMPLES),
      64,
    )
    .option('--seed <n>', 'seed of the samples', seedNumber, 0)
    .option(
      '--out <dir>',
      'output folder (default <run>/sample); it must be new, empty or written by vae sample',
    )
    .option('--from <index>', 'test example the interpolation starts from', nonNegativeInteger, 0)
    .option('--to <index>', 'test example the interpolation ends at', nonNegativeInteger, 1)
    .option(
      '--steps <n>',
      'images in the interpolation and per traversal row (2-64)',
      boundedInteger(64),
      11,
    )
    .addOption(checkpointOption())
    .addOption(mnistDirectoryOption())
    .action(async (run: string, options: SampleOptions) => {
      const { sampleRun } = await import('../sample/sample-run.js');
      await sampleRun(run, options, io);
    });
  addBackend(command);
  addVerbosity(command);
  return routeOutput(command, io);
}
