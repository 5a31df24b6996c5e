import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Problem } from './extract.js';
import type { GeneratedExample } from './generate.js';
import { withoutMarkers } from './printed-values.js';

export interface RunOptions {
  /** Arguments to `node` before the script, e.g. `['--conditions=@vae/source', '--import', tsx]`. */
  nodeArgs: readonly string[];
  /** The file to run for an example (the `.ts` itself, or its emitted `.js`). */
  script: (generated: GeneratedExample) => string;
  /** Seconds an example may take before its process tree is killed. */
  timeoutSeconds: number;
  /** Examples run at once, each in its own process. */
  jobs: number;
  /** Called with what each example printed (to compare with its `// value` comments). */
  onOutput?: (generated: GeneratedExample, output: string) => void;
  /** Checks the output (markers included) of an example that exited cleanly. */
  checkOutput?: (generated: GeneratedExample, output: string) => Problem[];
}

interface Outcome {
  code: number | null;
  timedOut: boolean;
  output: string;
}

/** tfjs's banner about tfjs-node, printed by every Node process that loads tfjs-core. */
const NOISE =
  /^(=+|Hi, looks like you are running TensorFlow\.js in Node\.js.*|Node\.js v\d+.*|\s*)$/;

/**
 * Runs one script in a fresh `node` process (its own process group, in an
 * empty temporary working folder that is removed afterwards). A process still
 * alive after the timeout is killed with its whole group, so nothing is left
 * running.
 */
function runOne(script: string, options: RunOptions): Promise<Outcome> {
  const cwd = mkdtempSync(join(tmpdir(), 'doc-example-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...options.nodeArgs, script], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The example's temporary files (os.tmpdir()) land in its folder and go with it.
      env: { ...process.env, NODE_OPTIONS: '', TMPDIR: cwd },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    let timedOut = false;
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutSeconds * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // Whatever the example started in its group (workers are threads, but a
      // child process could outlive it) goes too.
      killGroup();
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, timedOut, output });
    });
  });
}

/** The line of the example where it failed: the first stack frame in its file. */
function failingLine(generated: GeneratedExample, output: string): number {
  const stem = basename(generated.path).replace(/\.(ts|mjs)$/, '');
  const escaped = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`${escaped}\\.(?:ts|mjs|js):(\\d+)(?::\\d+)?`).exec(output);
  return frame ? Number(frame[1]) - 1 : 0;
}

/** Output without tfjs's banner and blank lines. */
function clean(output: string): string {
  return output
    .split('\n')
    .filter((line) => !NOISE.test(line))
    .join('\n');
}

function describe(outcome: Outcome, timeoutSeconds: number): string {
  const lines = withoutMarkers(clean(outcome.output)).split('\n');
  const shown = lines.slice(0, 25).map((line) => `    ${line}`);
  if (lines.length > shown.length)
    shown.push(`    ... (${lines.length - shown.length} more lines)`);
  const what = outcome.timedOut
    ? `did not exit within ${timeoutSeconds} s (killed): something keeps Node alive, or it is too slow for an example`
    : `exited with code ${outcome.code}`;
  return [`example failed: ${what}`, ...shown].join('\n');
}

/**
 * Runs examples in Node, `jobs` at a time, each in its own process; returns a
 * problem (file and line of the failing statement where the stack shows it)
 * for each that exits with an error or does not exit in time.
 */
export async function runExamples(
  generated: readonly GeneratedExample[],
  options: RunOptions,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  let next = 0;
  const worker = async () => {
    while (next < generated.length) {
      const item = generated[next++]!;
      const outcome = await runOne(options.script(item), options);
      options.onOutput?.(item, withoutMarkers(clean(outcome.output)));
      if (outcome.code === 0 && !outcome.timedOut) {
        problems.push(...(options.checkOutput?.(item, outcome.output) ?? []));
        continue;
      }
      problems.push({
        file: item.example.file,
        line: item.example.line + failingLine(item, outcome.output),
        message: describe(outcome, options.timeoutSeconds),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
