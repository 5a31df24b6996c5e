import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors.js';
import { hasCode, osReason } from './os-errors.js';
import { readSmallTextIfAny } from './small-file.js';

// A run folder is locked while a process trains or writes in it: `<run>/.lock`
// holds the owner's pid, host, start time and a random token, created with O_EXCL
// so two processes cannot both take it. A lock whose process is gone (killed with
// -9, a crash) is stale and taken over, also when its pid now belongs to another
// process (a restarted container hands out the same pids): the start times
// differ. Locks held by this process are remembered, so a second command in the
// same process (the tests run the CLI in-process) is refused too, while a
// leftover of an earlier in-process run is stale.

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  command: string;
  since: string;
  /** The owner's start time in clock ticks since boot (Linux), absent elsewhere. */
  started?: string;
}

/** A held lock; `release` removes it (also done when the process exits). */
export interface RunLock {
  release(): Promise<void>;
}

const held = new Set<string>();
/** A lock file holds one short JSON line; a larger one is not read (and is no live owner). */
const MAX_LOCK_BYTES = 4096;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasCode(error, 'EPERM');
  }
}

/**
 * When process `pid` started, in clock ticks since boot (field 22 of Linux's
 * /proc/<pid>/stat), or undefined where there is no /proc or no such process.
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces and ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    const ok =
      Number.isSafeInteger(owner.pid) &&
      typeof owner.host === 'string' &&
      typeof owner.token === 'string';
    return ok ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the owner of a lock still holds it; unreadable locks (a killed writer) are stale. */
function isLive(owner: LockOwner | undefined): boolean {
  if (owner === undefined) return false;
  if (owner.host !== hostname()) return true; // cannot tell: never take over another host's lock
  if (owner.pid === process.pid) return held.has(owner.token);
  if (!isAlive(owner.pid)) return false;
  // A live pid of a process that started after the owner is not the owner.
  const started = typeof owner.started === 'string' ? processStart(owner.pid) : undefined;
  return started === undefined || started === owner.started;
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(owner)}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

function refusal(directory: string, command: string, owner: LockOwner): CliError {
  const who =
    owner.host === hostname()
      ? `process ${owner.pid}`
      : `process ${owner.pid} on ${owner.host} (delete ${join(directory, '.lock')} if it is gone)`;
  return new CliError(
    `${command}: ${directory} is in use by \`vae ${owner.command}\` (${who}, since ${owner.since}); wait for it to finish or stop it`,
  );
}

/**
 * Takes the lock of a run folder (which must exist), or refuses at once with a
 * one-line CliError naming the process that holds it. A stale lock is taken over.
 */
export async function lockRun(directory: string, command: string): Promise<RunLock> {
  const path = join(directory, '.lock');
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(8).toString('hex'),
    command,
    since: new Date().toISOString(),
  };
  const started = processStart(process.pid);
  if (started !== undefined) owner.started = started;
  for (let attempt = 0; ; attempt++) {
    let created: boolean;
    try {
      created = await tryCreate(path, owner);
    } catch (error) {
      throw new CliError(`${command}: cannot lock ${directory}: ${osReason(error)}`);
    }
    if (created) break;
    const text = (await readSmallTextIfAny(path, MAX_LOCK_BYTES)) ?? '';
    const current = parseOwner(text);
    if (isLive(current)) throw refusal(directory, command, current!);
    if (attempt >= 3) throw new CliError(`${command}: cannot take over the stale lock ${path}`);
    // Stale: remove it only if it is still the one we read, then try again.
    const again = await readSmallTextIfAny(path, MAX_LOCK_BYTES);
    if (again === text) await rm(path, { force: true });
  }
  held.add(owner.token);
  const onExit = () => removeIfOurs(path, owner.token);
  process.once('exit', onExit);
  return {
    async release() {
      process.off('exit', onExit);
      held.delete(owner.token);
      removeIfOurs(path, owner.token);
    },
  };
}

function removeIfOurs(path: string, token: string): void {
  try {
    if (parseOwner(readFileSync(path, 'utf8'))?.token === token) rmSync(path, { force: true });
  } catch {
    // Already gone.
  }
}
