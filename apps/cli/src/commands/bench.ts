import { Command } from 'commander';
import type { CliIo } from '../internal/io.js';
import { routeOutput } from './common-options.js';

/** `vae bench`: the training benchmark of ./bench (its own options; `vae bench --help`). */
export function benchCommand(io: CliIo): Command {
  const command = new Command('bench')
    .description('benchmark training throughput per backend against tfjs-layers (vae bench --help)')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .helpOption(false)
    .argument(
      '[args...]',
      'options for the benchmark: --model, --backends, --steps, --batch-size, --json, --seed, --threads, --pytorch, --memory',
    )
    .action(async (args: string[]) => {
      const { runBench } = await import('../bench/index.js');
      await runBench({ argv: args });
    });
  return routeOutput(command, io);
}
