import cliProgress from 'cli-progress';
import { duration } from './format.js';
import type { OutputStream } from './io.js';

/** A progress display: a bar with ETA in a terminal, a line every few seconds elsewhere. */
export interface Progress {
  /** Progress is `value` of `total`; `fields` are shown after the bar (e.g. ELBO, KL). */
  update(value: number, fields?: Readonly<Record<string, string>>): void;
  /** Ends the display (a final line when not in a terminal). */
  stop(): void;
}

/** What a progress display shows. */
export interface ProgressOptions {
  /** Before the bar: "epoch 2/10", "eval", "samples". */
  label: string;
  total: number;
  /** What is counted: "batches", "images". */
  unit: string;
  /** Where it starts (a resumed epoch starts part way). */
  start?: number;
  /** Seconds between lines when not in a terminal (default 10). */
  interval?: number;
  /** Whether a final line is written when not in a terminal (default true). */
  finalLine?: boolean;
}

/** The estimate of the remaining time from the progress since the display started. */
function eta(options: { start: number; value: number; total: number; seconds: number }): string {
  const done = options.value - options.start;
  if (done <= 0 || options.seconds < 0.5) return 'eta -';
  return `eta ${duration(((options.total - options.value) * options.seconds) / done)}`;
}

function fieldText(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([name, value]) => ` | ${name} ${value}`)
    .join('');
}

/** A cli-progress bar on a terminal stream. */
function terminalProgress(stream: OutputStream, options: ProgressOptions): Progress {
  const start = options.start ?? 0;
  let fields: Readonly<Record<string, string>> = {};
  const began = performance.now();
  const bar = new cliProgress.SingleBar({
    stream: stream as NodeJS.WritableStream,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    format: (format, params) => {
      const seconds = (performance.now() - began) / 1000;
      const complete = Math.round(params.progress * (format.barsize ?? 24));
      const barText = `${'█'.repeat(complete)}${'░'.repeat((format.barsize ?? 24) - complete)}`;
      const timing = eta({ start, value: params.value, total: params.total, seconds });
      return `${options.label} |${barText}| ${params.value}/${params.total} ${options.unit}${fieldText(fields)} | ${timing}`;
    },
  });
  bar.start(options.total, start);
  return {
    update(value, next) {
      if (next !== undefined) fields = next;
      bar.update(value);
    },
    stop() {
      bar.stop();
    },
  };
}

/** Plain lines for logs and pipes: at most one every `interval` seconds, and a final one. */
function lineProgress(stream: OutputStream, options: ProgressOptions): Progress {
  const start = options.start ?? 0;
  const interval = options.interval ?? 10;
  const began = performance.now();
  let lastLine = began;
  let value = start;
  let fields: Readonly<Record<string, string>> = {};
  let stopped = false;
  const line = (final: boolean) => {
    const seconds = (performance.now() - began) / 1000;
    const percent = options.total > 0 ? Math.floor((100 * value) / options.total) : 100;
    const timing = final ? duration(seconds) : eta({ start, value, total: options.total, seconds });
    stream.write(
      `${options.label}: ${value}/${options.total} ${options.unit} (${percent}%)${fieldText(fields)} | ${timing}\n`,
    );
  };
  return {
    update(next, nextFields) {
      value = next;
      if (nextFields !== undefined) fields = nextFields;
      const now = performance.now();
      if (now - lastLine >= interval * 1000 && value < options.total) {
        lastLine = now;
        line(false);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (options.finalLine !== false) line(true);
    },
  };
}

/** Nothing at all (`--quiet`). */
const SILENT: Progress = { update() {}, stop() {} };

/**
 * A progress display on `stream`: a bar with ETA when it is a terminal, lines
 * otherwise (every `interval` seconds and one at the end), nothing when `quiet`.
 */
export function createProgress(
  stream: OutputStream,
  options: ProgressOptions & { quiet?: boolean },
): Progress {
  if (options.quiet === true) return SILENT;
  return stream.isTTY === true ? terminalProgress(stream, options) : lineProgress(stream, options);
}
