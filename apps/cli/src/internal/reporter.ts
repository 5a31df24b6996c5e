import { duration } from './format.js';
import type { CliIo } from './io.js';
import { createProgress, type Progress, type ProgressOptions } from './progress.js';

/** How much a command says: `quiet` (results and epoch lines only), default, `verbose`. */
export interface Verbosity {
  quiet: boolean;
  verbose: boolean;
}

/**
 * What a command tells the user. Results go to stdout; everything else (setup
 * phases, progress, epoch summaries) to stderr, so `--json` output stays clean.
 */
export class Reporter {
  constructor(
    readonly io: CliIo,
    readonly command: string,
    readonly verbosity: Verbosity,
  ) {}

  /**
   * Runs one setup phase and says so on one line: `loading MNIST ... 60,000 ...
   * (1.2 s)`. `describe` turns the result into the end of the line.
   */
  async phase<T>(
    what: string,
    run: () => Promise<T>,
    describe?: (result: T) => string,
  ): Promise<T> {
    if (this.verbosity.quiet) return run();
    this.io.stderr.write(`${what} ... `);
    const started = performance.now();
    let result: T;
    try {
      result = await run();
    } catch (error) {
      this.io.stderr.write('failed\n');
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    const detail = describe?.(result);
    this.io.stderr.write(`${detail === undefined ? 'done' : detail} (${duration(seconds)})\n`);
    return result;
  }

  /** A line on stderr, unless `--quiet`. */
  info(line: string): void {
    if (!this.verbosity.quiet) this.io.stderr.write(`${line}\n`);
  }

  /** A line on stderr shown even with `--quiet` (epoch summaries, warnings). */
  always(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  /** Only with `--verbose`. */
  debug(line: string): void {
    if (this.verbosity.verbose) this.io.stderr.write(`${line}\n`);
  }

  /** The command's result on stdout. */
  result(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A progress bar (terminal) or progress lines (logs) on stderr; none with `--quiet`. */
  progress(options: ProgressOptions): Progress {
    return createProgress(this.io.stderr, { ...options, quiet: this.verbosity.quiet });
  }
}
