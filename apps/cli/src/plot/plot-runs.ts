// `vae plot`: the time-to-quality picture of issue 14, drawn from what `vae
// train` logs in metrics.jsonl: the test negative ELBO after every epoch and the
// validation NLL (-IWAE_k) where it was evaluated, against the run's wall-clock
// minutes of training (every invocation counted; see `elapsed` in run-folder.ts).
import { basename, dirname, extname, resolve } from 'node:path';
import { linePlot, type PlotSeries } from '@vae/viz';
import { writePng } from '@vae/viz/node';
import type { PlotOptions } from '../commands/plot.js';
import { CliError } from '../internal/errors.js';
import { duration, plural } from '../internal/format.js';
import type { CliIo } from '../internal/io.js';
import { Reporter } from '../internal/reporter.js';
import { readRunConfig } from '../internal/run-config.js';
import { type EpochMetrics, readMetrics, runPaths } from '../internal/run-folder.js';
import { ensureWritableFolder } from '../internal/writable.js';

/** One run's curves: minutes of training and nats. */
export interface RunCurves {
  label: string;
  minutes: number[];
  testNll: number[];
  validation: { minutes: number[]; nll: number[]; k: number } | undefined;
}

/**
 * Minutes of training at the end of each epoch: `elapsed` where the line has
 * it; lines of older runs have only their epoch's `seconds`, summed.
 */
export function minutesOf(lines: readonly EpochMetrics[]): number[] {
  let sum = 0;
  return lines.map((line) => {
    sum = line.elapsed ?? sum + line.seconds;
    return sum / 60;
  });
}

/** The curves of one run's metrics lines. */
export function runCurves(label: string, lines: readonly EpochMetrics[]): RunCurves {
  const minutes = minutesOf(lines);
  const testNll = lines.map(
    (line) => line.testLoss ?? (line.test?.elbo === undefined ? Number.NaN : -line.test.elbo),
  );
  const evaluated = lines.flatMap((line, i) =>
    line.validation === undefined ? [] : [{ line, minute: minutes[i]! }],
  );
  return {
    label,
    minutes,
    testNll,
    validation:
      evaluated.length === 0
        ? undefined
        : {
            minutes: evaluated.map((e) => e.minute),
            nll: evaluated.map((e) => -e.line.validation!.iwae),
            k: evaluated[0]!.line.validation!.k,
          },
  };
}

/** The plot's series: per run its test negative ELBO, then its validation NLL. */
export function plotSeries(runs: readonly RunCurves[]): PlotSeries[] {
  return runs.flatMap((run) => [
    { name: `${run.label}: test -ELBO`, x: run.minutes, y: run.testNll },
    ...(run.validation === undefined
      ? []
      : [
          {
            name: `${run.label}: validation NLL (k=${run.validation.k})`,
            x: run.validation.minutes,
            y: run.validation.nll,
          },
        ]),
  ]);
}

/** Labels: the folder names, or the paths as given where two folders share a name. */
function labels(runs: readonly string[]): string[] {
  const names = runs.map((run) => basename(resolve(run)));
  return names.map((name, i) =>
    names.indexOf(name) === names.lastIndexOf(name) ? name : runs[i]!,
  );
}

/** `vae plot <runs...>`: every run is read and checked before the PNG is written. */
export async function plotRuns(runs: string[], options: PlotOptions, io: CliIo): Promise<void> {
  const reporter = new Reporter(io, 'plot', options);
  const out = resolve(io.cwd, options.out);
  if (extname(out).toLowerCase() !== '.png') {
    throw new CliError(`plot: --out ${options.out} must name a .png file`);
  }
  const names = labels(runs);
  const curves: RunCurves[] = [];
  for (const [i, run] of runs.entries()) {
    const paths = runPaths(resolve(io.cwd, run));
    await readRunConfig(paths, 'plot');
    const lines = await readMetrics(paths.metrics, 'plot');
    const curve = runCurves(names[i]!, lines);
    if (!curve.testNll.some(Number.isFinite)) {
      throw new CliError(
        `plot: ${paths.directory} has no finished epoch in metrics.jsonl yet; nothing to plot`,
      );
    }
    curves.push(curve);
    reporter.info(
      `${curve.label}: ${plural(lines.length, 'epoch')} over ${duration((curve.minutes.at(-1) ?? 0) * 60)}${curve.validation === undefined ? '' : `, ${plural(curve.validation.nll.length, 'validation bound')}`}`,
    );
  }
  const picture = linePlot(plotSeries(curves), {
    title: options.title ?? 'Time to quality',
    xLabel: 'wall-clock minutes of training',
    yLabel: 'nats (lower is better)',
    width: options.width,
    height: options.height,
    ...(options.yRange === undefined ? {} : { yRange: options.yRange }),
  });
  await ensureWritableFolder(dirname(out), { command: 'plot' });
  await writePng(out, picture);
  reporter.result(`wrote ${out}`);
}
