import { Command } from 'commander';
import { benchCommand } from './commands/bench.js';
import { routeOutput } from './commands/common-options.js';
import { evalCommand } from './commands/eval.js';
import { gaussianCommand } from './commands/gaussian.js';
import { plotCommand } from './commands/plot.js';
import { sampleCommand } from './commands/sample.js';
import { trainCommand } from './commands/train.js';
import type { CliIo } from './internal/io.js';

/**
 * The `vae` program: train, eval, sample, plot, gaussian and bench. Only option
 * definitions load here (so `vae --help` answers at once); each command imports
 * its work when it runs. Errors surface as exceptions (commander's own usage
 * errors exit through `exitOverride`).
 */
export function createProgram(io: CliIo): Command {
  const program = new Command('vae')
    .description(
      'Train, evaluate and sample variational autoencoders on MNIST, colour emoji or your own images (TensorFlow.js).',
    )
    .showSuggestionAfterError(true);
  routeOutput(program, io);
  for (const command of [
    trainCommand(io),
    evalCommand(io),
    sampleCommand(io),
    plotCommand(io),
    gaussianCommand(io),
    benchCommand(io),
  ]) {
    program.addCommand(command);
  }
  return program;
}
