import { Command } from 'commander';
import type { CliIo } from '../internal/io.js';
import { boundedInteger, numberRange } from '../internal/parse.js';
import { addVerbosity, routeOutput, type VerbosityOptions } from './common-options.js';

/** What `vae plot` is given. */
export interface PlotOptions extends VerbosityOptions {
  out: string;
  title?: string;
  width: number;
  height: number;
  /** The nats the y axis spans, low and high (default: every value's). */
  yRange?: [number, number];
}

/** `vae plot <run...>`: a time-to-quality plot from the runs' metrics.jsonl. */
export function plotCommand(io: CliIo): Command {
  const command = new Command('plot')
    .description(
      'draw the test negative ELBO (and the validation NLL where logged) of runs against wall-clock minutes of training, one labelled line per run, from their metrics.jsonl',
    )
    .argument('<runs...>', 'run folders written by vae train')
    .option('--out <file>', 'the PNG to write', 'quality.png')
    .option('--title <text>', 'title above the plot (default: "Time to quality")')
    .option('--width <px>', 'image width in pixels', boundedInteger(4096), 900)
    .option('--height <px>', 'image height in pixels', boundedInteger(4096), 560)
    .option(
      '--y-range <low,high>',
      "the nats the y axis spans, e.g. 80,120 (default: every value's); curves are clipped to it, so a long run's last nats stay readable beside its first epochs",
      numberRange,
    )
    .action(async (runs: string[], options: PlotOptions) => {
      const { plotRuns } = await import('../plot/plot-runs.js');
      await plotRuns(runs, options, io);
    });
  addVerbosity(command);
  return routeOutput(command, io);
}
