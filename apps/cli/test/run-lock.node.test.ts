// The run lock's owner is a process, not a pid: a lock whose pid is alive but
// belongs to a process that started later (a pid handed out again, as after a
// container restart) is stale and taken over; the owner itself is refused.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/internal/errors.js';
import { lockRun, processStart } from '../src/internal/run-lock.js';
import { temporary } from './helpers.js';

const root = temporary('vae-run-lock-');

/** A run folder whose .lock names the live process 1 (init), started at `started`. */
function lockedByInit(name: string, started: string | undefined): string {
  const directory = join(root, name);
  mkdirSync(directory);
  const owner = { pid: 1, host: hostname(), token: 't', command: 'train', since: 'then' };
  writeFileSync(join(directory, '.lock'), JSON.stringify({ ...owner, started }));
  return directory;
}

describe('lockRun and the owner of a lock', () => {
  it("reads a process's start time from /proc, the same on every read", () => {
    const own = processStart(process.pid);
    expect(own).toMatch(/^\d+$/);
    expect(processStart(process.pid)).toBe(own);
    expect(processStart(1)).toMatch(/^\d+$/);
    expect(processStart(2 ** 30)).toBeUndefined();
  });

  it('takes over a lock whose pid is alive but started at another time', async () => {
    const directory = lockedByInit('recycled', `${Number(processStart(1)) + 1}`);
    const lock = await lockRun(directory, 'train');
    const owner = JSON.parse(readFileSync(join(directory, '.lock'), 'utf8'));
    expect(owner.pid).toBe(process.pid);
    expect(owner.started).toBe(processStart(process.pid));
    await lock.release();
  });

  it.each([
    ['its start time', () => processStart(1)],
    ['no start time (a lock written before it was recorded)', () => undefined],
  ])('refuses a lock of a live process with %s', async (_, started) => {
    const directory = lockedByInit(`live-${String(started())}`, started());
    const refused = lockRun(directory, 'eval');
    await expect(refused).rejects.toThrow(CliError);
    await expect(refused).rejects.toThrow(/is in use by `vae train` \(process 1, since then\)/);
  });
});
