import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/unhandled-after-wasm.ts', import.meta.url));

/** Runs the fixture in a fresh Node process (a backend starts once per process). */
function runFixture(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@vae/source', fixture, ...args],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 60_000, encoding: 'utf8' },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('an error of the app after useBackend("wasm")', () => {
  it.each(['1', '2'])(
    'is reported by Node as usual with %s thread(s): status 1, a short report',
    (threads) => {
      // tfjs's wasm module rethrows it from its own process handler otherwise: status 7
      // and 40-60 KB of minified source.
      const { status, output } = runFixture(threads);
      expect(output).toContain('Error: an error of the app');
      expect(status).toBe(1);
      expect(output).not.toContain('Module');
      expect(output.length).toBeLessThan(4000);
    },
    90_000,
  );

  it("reaches the app's own handler, registered before", () => {
    const { status, output } = runFixture('1', 'own-handler');
    expect(output).toContain("the app's handler: an error of the app");
    expect(status).toBe(3);
  }, 90_000);
});
