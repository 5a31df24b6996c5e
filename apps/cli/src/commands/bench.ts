import { Command } from 'commander';
import { runBench } from '../bench/index.js';

/** `vae bench`: the training benchmark of ./bench (its own options; `vae bench --help`). */
export function benchCommand(): Command {
  return new Command('bench')
    .description('benchmark training throughput per backend against tfjs-layers (vae bench --help)')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .helpOption(false)
    .argument(
      '[args...]',
      'options for the benchmark: --backends, --steps, --batch-size, --json, --seed',
    )
    .action(async (args: string[]) => {
      await runBench({ argv: args });
    });
}
