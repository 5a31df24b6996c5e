import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/cpu-banner.ts', import.meta.url));
const BANNER = /install our node backend/;

/** Starts cpu in a fresh Node process (the banner comes once per process). */
async function startCpu(mode: 'use-backend' | 'plain') {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=@vae/source', fixture, mode],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 60_000 },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  return {
    output: stdout + stderr,
    result: JSON.parse(line ?? 'null') as { sum: number; prod: boolean },
  };
}

describe("tfjs-backend-cpu's Node banner", () => {
  it('is not printed when useBackend chose cpu, and PROD is left off', async () => {
    const { output, result } = await startCpu('use-backend');
    expect(output).not.toMatch(BANNER);
    expect(result).toEqual({ sum: 6, prod: false });
  }, 90_000);

  it('is printed by tfjs itself otherwise (the control: the check above can fail)', async () => {
    const { output, result } = await startCpu('plain');
    expect(output).toMatch(BANNER);
    expect(result.sum).toBe(6);
  }, 90_000);
});
