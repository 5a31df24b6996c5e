import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from './errors.js';
import { osReason } from './os-errors.js';

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
    created = await mkdir(directory, { recursive: true });
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
