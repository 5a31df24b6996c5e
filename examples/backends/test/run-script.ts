// Runs the tutorial's Node script (src/node.ts) as `pnpm start` does, in a child
// process, and reads back what it printed.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The example's folder. */
export const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));

/** What the script printed and how it exited. */
export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node --import tsx src/node.ts ...args` in the example's folder; never rejects. */
export function runScript(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=@vae/source', 'src/node.ts', ...args],
      { cwd: EXAMPLE, env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: 110_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The numbers one run printed (NaN where a line is missing). */
export interface Printed {
  backend: string | undefined;
  threads: number;
  kl: number;
  gradient: number[];
  elboBefore: number;
  elboAfter: number;
}

const NUMBER = String.raw`(-?\d+\.\d+)`;

/** Reads the lines src/node.ts prints. */
export function parsePrinted(stdout: string): Printed {
  const read = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1]);
  return {
    backend: /^backend\s+(\S+)$/m.exec(stdout)?.[1],
    threads: read(/^wasm\s+SIMD \w+, (\d+) thread/m),
    kl: read(new RegExp(`^KL.*?${NUMBER} nats$`, 'm')),
    gradient: (/^d\/dloc, d\/dscale\s+(.+)$/m.exec(stdout)?.[1] ?? '').split(', ').map(Number),
    elboBefore: read(new RegExp(`^test ELBO before fit\\s+${NUMBER}`, 'm')),
    elboAfter: read(new RegExp(`^test ELBO after \\d+ steps\\s+${NUMBER}`, 'm')),
  };
}
