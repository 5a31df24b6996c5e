import { Command } from 'commander';
import { benchCommand } from './commands/bench.js';
import { evalCommand } from './commands/eval.js';
import { sampleCommand } from './commands/sample.js';
import { trainCommand } from './commands/train.js';

/** Loads an optional command module (owned elsewhere) when it is present in this build. */
async function optionalCommand(
  specifier: string,
  exportName: string,
): Promise<Command | undefined> {
  try {
    const module = (await import(specifier)) as Record<string, unknown>;
    const factory = module[exportName];
    return typeof factory === 'function' ? (factory as () => Command)() : undefined;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * The `vae` program: train, eval, sample, bench and (when built in) gaussian.
 * Errors surface as exceptions (commander's own usage errors exit through `exitOverride`).
 */
export async function createProgram(): Promise<Command> {
  const program = new Command('vae').description(
    'Train, evaluate and sample variational autoencoders on MNIST (TensorFlow.js).',
  );
  program.addCommand(trainCommand());
  program.addCommand(evalCommand());
  program.addCommand(sampleCommand());
  program.addCommand(benchCommand());
  const gaussian = await optionalCommand('./commands/gaussian.js', 'gaussianCommand');
  if (gaussian !== undefined) program.addCommand(gaussian);
  return program;
}
