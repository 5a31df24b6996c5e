import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './errors.js';
import { osReason } from './os-errors.js';

/**
 * `mkdir -p` one level at a time. Node's `mkdir(path, { recursive: true })` loops
 * forever where a parent exists but refuses children with ENOENT (`/proc/x`), so
 * the missing levels are created one by one, each error reported as it is.
 * Returns the first folder created (to remove on failure), if any.
 */
async function makeFolders(directory: string): Promise<string | undefined> {
  const missing: string[] = [];
  let path = resolve(directory);
  for (;;) {
    try {
      const info = await stat(path);
      if (!info.isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), {
          code: 'ENOTDIR',
        });
      }
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      missing.unshift(path);
      const parent = dirname(path);
      if (parent === path) break;
      path = parent;
    }
  }
  for (const folder of missing) await mkdir(folder);
  return missing[0];
}

/** Bytes written by the probe: enough to meet a full disk, small enough to be instant. */
const PROBE_BYTES = 64 * 1024;

/**
 * Makes sure `directory` exists and takes a file of `needBytes` bytes, before any
 * slow work: creates it (and its parents), writes and flushes a probe file, checks
 * the free space. Fails at once with the path and the OS's reason (a missing
 * parent, `/proc`, a read-only folder or mount, a full disk); a folder it created
 * for nothing is removed again.
 */
export async function ensureWritableFolder(
  directory: string,
  options: { command: string; needBytes?: number },
): Promise<void> {
  const fail = (error: unknown): never => {
    throw new CliError(`${options.command}: cannot write to ${directory}: ${osReason(error)}`);
  };
  let created: string | undefined;
  try {
    created = await makeFolders(directory);
  } catch (error) {
    fail(error);
  }
  const probe = join(directory, `.vae-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx');
    try {
      await handle.writeFile(new Uint8Array(PROBE_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
    const space = await statfs(directory).catch(() => undefined);
    const free = space === undefined ? Number.POSITIVE_INFINITY : space.bavail * space.bsize;
    if (options.needBytes !== undefined && free < options.needBytes) {
      throw Object.assign(
        new Error(
          `ENOSPC: only ${(free / 2 ** 20).toFixed(1)} MiB free, a run needs about ${(options.needBytes / 2 ** 20).toFixed(1)} MiB`,
        ),
        { code: 'ENOSPC' },
      );
    }
  } catch (error) {
    await rm(probe, { force: true }).catch(() => undefined);
    if (created !== undefined) await rm(created, { recursive: true, force: true }).catch(() => {});
    fail(error);
  }
  await rm(probe, { force: true });
}
